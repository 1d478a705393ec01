<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="77"/>
        <source>Search cameras…</source>
        <translation>Tìm camera…</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="99"/>
        <source>Smart-city cameras</source>
        <translation>Camera đô thị thông minh</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="100"/>
        <source>Public cameras</source>
        <translation>Camera công cộng</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="101"/>
        <source>Traffic cameras</source>
        <translation>Camera giao thông</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="53"/>
        <source>iocwall — Log in</source>
        <translation>iocwall — Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="56"/>
        <source>Smart City Monitoring and Operations Center — Đồng Hới</source>
        <translation>Trung tâm Giám sát, điều hành đô thị thông minh — Đồng Hới</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="67"/>
        <source>Remember me on this computer</source>
        <translation>Ghi nhớ đăng nhập trên máy này</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="71"/>
        <source>Server</source>
        <translation>Máy chủ</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="72"/>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="73"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="85"/>
        <location filename="../../widgets/login_dialog.py" line="118"/>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="86"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="102"/>
        <source>Enter the server address, your user name and password.</source>
        <translation>Nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu.</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="118"/>
        <source>Logging in…</source>
        <translation>Đang đăng nhập…</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="135"/>
        <source>This account is locked after too many failed logins. Try again in 15 minutes or call the IOC duty desk.</source>
        <translation>Tài khoản đã bị khóa do đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút hoặc gọi bộ phận trực IOC.</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="138"/>
        <source>Wrong user name or password.</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="140"/>
        <source>Cannot reach the server at %1. Check the address and the network.</source>
        <translation>Không kết nối được máy chủ %1. Hãy kiểm tra địa chỉ và mạng.</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="143"/>
        <source>The server rejected the request: %1</source>
        <translation>Máy chủ từ chối yêu cầu: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="145"/>
        <source>Login failed: %1</source>
        <translation>Đăng nhập không thành công: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="147"/>
        <source>Login failed because of an internal error (%1).</source>
        <translation>Đăng nhập không thành công do lỗi nội bộ (%1).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="85"/>
        <source>iocwall — Đồng Hới IOC video wall</source>
        <translation>iocwall — Màn hình giám sát IOC Đồng Hới</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="104"/>
        <source>Cameras</source>
        <translation>Danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="112"/>
        <source>Messages</source>
        <translation>Thông báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="140"/>
        <source>&amp;System</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="141"/>
        <source>Reload camera list</source>
        <translation>Tải lại danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="143"/>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="145"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="152"/>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="153"/>
        <source>Wall template</source>
        <translation>Kiểu bố trí màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="157"/>
        <source>Custom grid…</source>
        <translation>Lưới tùy chọn…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="160"/>
        <location filename="../../widgets/main_window.py" line="467"/>
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="166"/>
        <source>Tour the wall through my layouts</source>
        <translation>Tuần tra màn hình qua các bố cục của tôi</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="172"/>
        <source>&amp;Wall windows</source>
        <translation>&amp;Cửa sổ màn hình tường</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="176"/>
        <source>La&amp;youts</source>
        <translation>&amp;Bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="177"/>
        <source>Save layout</source>
        <translation>Lưu bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="180"/>
        <source>Save layout as…</source>
        <translation>Lưu bố cục thành…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="182"/>
        <source>Rename layout…</source>
        <translation>Đổi tên bố cục…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="184"/>
        <location filename="../../widgets/main_window.py" line="330"/>
        <source>Delete layout</source>
        <translation>Xóa bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="186"/>
        <source>Open at start</source>
        <translation>Mở khi khởi động</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="188"/>
        <source>Share with my unit</source>
        <translation>Chia sẻ với đơn vị</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="193"/>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="207"/>
        <source>User: %1 (%2)</source>
        <translation>Người dùng: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="211"/>
        <source>Unit: %1</source>
        <translation>Đơn vị: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="231"/>
        <source>Loading cameras</source>
        <translation>Đang tải danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="243"/>
        <source>Cameras (%1)</source>
        <translation>Danh sách camera (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="255"/>
        <source>Layout %1 cannot be shown: %2</source>
        <translation>Không thể hiển thị bố cục %1: %2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="312"/>
        <source>Save layout as</source>
        <translation>Lưu bố cục thành</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="312"/>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="321"/>
        <source>Rename layout</source>
        <translation>Đổi tên bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="321"/>
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="331"/>
        <source>Delete the layout %1?</source>
        <translation>Xóa bố cục %1?</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="336"/>
        <source>Custom grid</source>
        <translation>Lưới tùy chọn</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="337"/>
        <source>Rows × columns (e.g. 2x3):</source>
        <translation>Số hàng × số cột (ví dụ 2x3):</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="344"/>
        <source>Not a grid: %1</source>
        <translation>Không phải lưới hợp lệ: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="360"/>
        <source>Layout %1 saved.</source>
        <translation>Đã lưu bố cục %1.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="380"/>
        <source>My layouts</source>
        <translation>Bố cục của tôi</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="381"/>
        <source>Shared by my unit</source>
        <translation>Đơn vị chia sẻ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="386"/>
        <source>%1 (by %2, read-only)</source>
        <translation>%1 (của %2, chỉ xem)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="389"/>
        <source>%1 (at start)</source>
        <translation>%1 (khi khởi động)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="396"/>
        <location filename="../../widgets/main_window.py" line="459"/>
        <source>(none)</source>
        <translation>(không có)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="413"/>
        <source>Layout: (not saved)</source>
        <translation>Bố cục: (chưa lưu)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="415"/>
        <source>Layout: %1</source>
        <translation>Bố cục: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="417"/>
        <source>Layout: %1 (read-only)</source>
        <translation>Bố cục: %1 (chỉ xem)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="425"/>
        <source>No saved layouts to tour.</source>
        <translation>Không có bố cục đã lưu để tuần tra.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="439"/>
        <source>(not available)</source>
        <translation>(không khả dụng)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="442"/>
        <source>New wall window on</source>
        <translation>Mở cửa sổ màn hình tường mới trên</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="449"/>
        <source>Wall %1 on %2</source>
        <translation>Màn hình tường %1 trên %2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="452"/>
        <source>Show layout</source>
        <translation>Hiển thị bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="461"/>
        <source>Move to screen</source>
        <translation>Chuyển sang màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="471"/>
        <source>Close this wall window</source>
        <translation>Đóng cửa sổ màn hình tường này</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="477"/>
        <source>%1 (this window&apos;s screen)</source>
        <translation>%1 (màn hình của cửa sổ này)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="501"/>
        <source>The language changes at the next start.</source>
        <translation>Ngôn ngữ sẽ được đổi ở lần khởi động sau.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="514"/>
        <source>Info</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="514"/>
        <source>Warning</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="515"/>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
</context>
<context>
    <name>PtzPad</name>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="66"/>
        <location filename="../../widgets/ptz_pad.py" line="146"/>
        <location filename="../../widgets/ptz_pad.py" line="270"/>
        <source>PTZ: not in use</source>
        <translation>PTZ: không có ai điều khiển</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="81"/>
        <source>Home</source>
        <translation>Vị trí gốc</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="85"/>
        <source>Zoom +</source>
        <translation>Phóng to</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="86"/>
        <source>Zoom −</source>
        <translation>Thu nhỏ</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="94"/>
        <location filename="../../widgets/ptz_pad.py" line="97"/>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="102"/>
        <source>Go</source>
        <translation>Đi tới</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="103"/>
        <source>Save as…</source>
        <translation>Lưu thành…</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="104"/>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="105"/>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="114"/>
        <source>Set home</source>
        <translation>Đặt vị trí gốc</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="116"/>
        <location filename="../../widgets/ptz_pad.py" line="254"/>
        <source>Start patrol</source>
        <translation>Bắt đầu tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="128"/>
        <source>Presets</source>
        <translation>Điểm đặt trước</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="224"/>
        <source>Save preset</source>
        <translation>Lưu điểm đặt trước</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="224"/>
        <source>Preset name:</source>
        <translation>Tên điểm đặt trước:</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="232"/>
        <source>Rename preset</source>
        <translation>Đổi tên điểm đặt trước</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="232"/>
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="247"/>
        <source>All presets</source>
        <translation>Tất cả điểm đặt trước</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="254"/>
        <source>Stop patrol</source>
        <translation>Dừng tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="260"/>
        <source>PTZ: you hold the camera</source>
        <translation>PTZ: bạn đang điều khiển camera</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="264"/>
        <source>PTZ in use by %1; you are number %2 in the queue</source>
        <translation>PTZ đang do %1 điều khiển; bạn xếp hàng thứ %2</translation>
    </message>
    <message>
        <location filename="../../widgets/ptz_pad.py" line="268"/>
        <source>PTZ taken by %1</source>
        <translation>PTZ đã bị %1 giành quyền</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/tile.py" line="300"/>
        <location filename="../../widgets/tile.py" line="301"/>
        <location filename="../../widgets/tile.py" line="359"/>
        <location filename="../../widgets/tile.py" line="390"/>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="310"/>
        <source>Empty — drop a camera here</source>
        <translation>Trống — kéo camera vào đây</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="392"/>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="395"/>
        <source>Frozen %n s</source>
        <translation>
            <numerusform>Đứng hình %n giây</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="396"/>
        <source>Frozen</source>
        <translation>Đứng hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="368"/>
        <location filename="../../widgets/tile.py" line="399"/>
        <source>Offline: %1</source>
        <translation>Mất tín hiệu: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="172"/>
        <location filename="../../widgets/tile.py" line="401"/>
        <source>Replay</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="173"/>
        <source>Instant replay of the last 30 s (R)</source>
        <translation>Xem lại ngay 30 giây vừa qua (R)</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="178"/>
        <source>Tour position</source>
        <translation>Vị trí tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="245"/>
        <source>Tour %1</source>
        <translation>Tuần tra %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="264"/>
        <source>No permission to view this camera</source>
        <translation>Không có quyền xem camera này</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="361"/>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="364"/>
        <source>STALLED — no new picture for %n s</source>
        <translation>
            <numerusform>ĐỨNG HÌNH — không có hình mới trong %n giây</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="366"/>
        <source>offline</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="370"/>
        <source>Offline: %1 — reconnecting in %n s</source>
        <translation>
            <numerusform>Mất tín hiệu: %1 — kết nối lại sau %n giây</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="375"/>
        <source>REPLAY — %n s behind live (R: back to live)</source>
        <translation>
            <numerusform>XEM LẠI — chậm %n giây so với trực tiếp (R: về trực tiếp)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="399"/>
        <source>Offline</source>
        <translation>Mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="402"/>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="406"/>
        <source>connection refused</source>
        <translation>bị từ chối kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="407"/>
        <source>wrong camera credentials</source>
        <translation>sai thông tin đăng nhập camera</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="408"/>
        <source>no answer</source>
        <translation>không phản hồi</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="409"/>
        <source>stream not found</source>
        <translation>không tìm thấy luồng video</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="410"/>
        <source>access denied</source>
        <translation>bị từ chối truy cập</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="411"/>
        <source>disconnected</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="412"/>
        <source>no video</source>
        <translation>không có hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="413"/>
        <source>player error</source>
        <translation>lỗi trình phát</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="414"/>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
</context>
<context>
    <name>WallView</name>
    <message>
        <location filename="../../widgets/wall_view.py" line="171"/>
        <source>%1 (%2 tiles)</source>
        <translation>%1 (%2 ô)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="173"/>
        <source>%1×%2 (%3 tiles)</source>
        <translation>%1×%2 (%3 ô)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="300"/>
        <source>Camera #%1</source>
        <translation>Camera số %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="322"/>
        <source>Tour all cameras in this tile</source>
        <translation>Tuần tra mọi camera trong ô này</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="327"/>
        <source>Tour the cameras of %1 in this tile</source>
        <translation>Tuần tra các camera của %1 trong ô này</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="331"/>
        <source>Stop this tile&apos;s tour</source>
        <translation>Dừng tuần tra của ô này</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../widgets/wall_window.py" line="71"/>
        <source>iocwall — wall %1</source>
        <translation>iocwall — màn hình tường %1</translation>
    </message>
</context>
<context>
    <name>WallWindows</name>
    <message>
        <location filename="../../widgets/wall_window.py" line="209"/>
        <source>Layout %1 cannot be shown: %2</source>
        <translation>Không thể hiển thị bố cục %1: %2</translation>
    </message>
</context>
</TS>
