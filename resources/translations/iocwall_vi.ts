<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name></name>
    <message>
        <location filename="../../widgets/panels.py" line="79"/>
        <location filename="../../widgets/panels.py" line="96"/>
        <source>Bookmarks</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="82"/>
        <location filename="../../widgets/panels.py" line="98"/>
        <location filename="../../widgets/panels.py" line="117"/>
        <source>Requests</source>
        <translation>Yêu cầu trích xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="85"/>
        <source>Clip player</source>
        <translation>Trình phát đoạn video</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="94"/>
        <source>&amp;Evidence</source>
        <translation>&amp;Chứng cứ</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="103"/>
        <source>New clip request…</source>
        <translation>Yêu cầu trích xuất mới…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="104"/>
        <source>Verify clip file…</source>
        <translation>Kiểm tra tệp đoạn video…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels.py" line="105"/>
        <source>Refresh requests</source>
        <translation>Làm mới danh sách yêu cầu</translation>
    </message>
</context>
<context>
    <name>BookmarkDialog</name>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="81"/>
        <source>Bookmark</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="83"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="84"/>
        <source>Moment (UTC+7)</source>
        <translation>Thời điểm (UTC+7)</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="87"/>
        <location filename="../../widgets/bookmarks_panel.py" line="91"/>
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="93"/>
        <source>Before</source>
        <translation>Trước</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="94"/>
        <source>After</source>
        <translation>Sau</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="96"/>
        <source>What happened</source>
        <translation>Sự việc xảy ra</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="98"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="100"/>
        <source>tags, separated by commas</source>
        <translation>nhãn, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="101"/>
        <source>Tags</source>
        <translation>Nhãn</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="140"/>
        <source>Search notes and tags</source>
        <translation>Tìm trong ghi chú và nhãn</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="145"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="147"/>
        <source>Ward</source>
        <translation>Phường</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="150"/>
        <source>exact tag</source>
        <translation>nhãn chính xác</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="152"/>
        <source>user name</source>
        <translation>tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="153"/>
        <source>Tag</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="155"/>
        <source>Author</source>
        <translation>Người tạo</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="157"/>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="159"/>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="185"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="186"/>
        <source>Request clip…</source>
        <translation>Yêu cầu trích xuất…</translation>
    </message>
    <message>
        <location filename="../../widgets/bookmarks_panel.py" line="226"/>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/bookmarks_panel.py" line="276"/>
        <source>%n bookmark(s)</source>
        <translation>
            <numerusform>%n đánh dấu</numerusform>
        </translation>
    </message>
</context>
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
    <name>ClipPlayerWidget</name>
    <message>
        <location filename="../../widgets/clip_player.py" line="30"/>
        <source>No clip open</source>
        <translation>Chưa mở đoạn video nào</translation>
    </message>
    <message>
        <location filename="../../widgets/clip_player.py" line="39"/>
        <location filename="../../widgets/clip_player.py" line="108"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <location filename="../../widgets/clip_player.py" line="65"/>
        <source>request #%1</source>
        <translation>yêu cầu số %1</translation>
    </message>
    <message>
        <location filename="../../widgets/clip_player.py" line="108"/>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
</context>
<context>
    <name>ClipRequestDialog</name>
    <message>
        <location filename="../../widgets/requests_panel.py" line="60"/>
        <source>Request a clip</source>
        <translation>Yêu cầu trích xuất đoạn video</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="72"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="78"/>
        <source>From (UTC+7)</source>
        <translation>Từ (UTC+7)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="79"/>
        <source>To (UTC+7)</source>
        <translation>Đến (UTC+7)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="81"/>
        <source>Content and purpose of the request</source>
        <translation>Nội dung và mục đích yêu cầu</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="85"/>
        <source>Purpose</source>
        <translation>Mục đích</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="88"/>
        <source>Other agencies: commitment to use it for this purpose only</source>
        <translation>Cơ quan khác: cam kết chỉ sử dụng đúng mục đích đã nêu</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="89"/>
        <source>Commitment</source>
        <translation>Cam kết</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="92"/>
        <source>Other agencies: official letter (PDF)</source>
        <translation>Cơ quan khác: công văn đề nghị (PDF)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="93"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="97"/>
        <source>Letter</source>
        <translation>Công văn</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="105"/>
        <source>Send request</source>
        <translation>Gửi yêu cầu</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="110"/>
        <source>Official letter</source>
        <translation>Công văn</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="110"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
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
        <location filename="../../widgets/main_window.py" line="82"/>
        <source>Bookmarks</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="82"/>
        <source>Requests</source>
        <translation>Yêu cầu trích xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="83"/>
        <source>Clip player</source>
        <translation>Trình phát đoạn video</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="83"/>
        <source>&amp;Evidence</source>
        <translation>&amp;Chứng cứ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="84"/>
        <source>New clip request…</source>
        <translation>Yêu cầu trích xuất mới…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="85"/>
        <source>Verify clip file…</source>
        <translation>Kiểm tra tệp đoạn video…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="86"/>
        <source>Refresh requests</source>
        <translation>Làm mới danh sách yêu cầu</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="126"/>
        <source>iocwall — Đồng Hới IOC video wall</source>
        <translation>iocwall — Màn hình giám sát IOC Đồng Hới</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="145"/>
        <source>Cameras</source>
        <translation>Danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="153"/>
        <source>Messages</source>
        <translation>Thông báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="165"/>
        <location filename="../../widgets/main_window.py" line="219"/>
        <location filename="../../widgets/main_window.py" line="341"/>
        <source>PTZ control</source>
        <translation>Điều khiển PTZ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="194"/>
        <source>&amp;System</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="195"/>
        <source>Reload camera list</source>
        <translation>Tải lại danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="197"/>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="199"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="206"/>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="207"/>
        <source>Wall template</source>
        <translation>Kiểu bố trí màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="211"/>
        <source>Custom grid…</source>
        <translation>Lưới tùy chọn…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="214"/>
        <location filename="../../widgets/main_window.py" line="665"/>
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="223"/>
        <source>Tour the wall through my layouts</source>
        <translation>Tuần tra màn hình qua các bố cục của tôi</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="229"/>
        <source>&amp;Wall windows</source>
        <translation>&amp;Cửa sổ màn hình tường</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="233"/>
        <source>La&amp;youts</source>
        <translation>&amp;Bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="234"/>
        <source>Save layout</source>
        <translation>Lưu bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="237"/>
        <source>Save layout as…</source>
        <translation>Lưu bố cục thành…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="239"/>
        <source>Rename layout…</source>
        <translation>Đổi tên bố cục…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="241"/>
        <location filename="../../widgets/main_window.py" line="528"/>
        <source>Delete layout</source>
        <translation>Xóa bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="243"/>
        <source>Open at start</source>
        <translation>Mở khi khởi động</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="245"/>
        <source>Share with my unit</source>
        <translation>Chia sẻ với đơn vị</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="250"/>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="264"/>
        <source>User: %1 (%2)</source>
        <translation>Người dùng: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="268"/>
        <source>Unit: %1</source>
        <translation>Đơn vị: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="288"/>
        <source>Loading cameras</source>
        <translation>Đang tải danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="300"/>
        <source>Cameras (%1)</source>
        <translation>Danh sách camera (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="332"/>
        <source>Connecting to the PTZ of %1…</source>
        <translation>Đang kết nối điều khiển PTZ của %1…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="334"/>
        <source>PTZ of %1</source>
        <translation>PTZ của %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="342"/>
        <source>The selected camera has no PTZ.</source>
        <translation>Camera đang chọn không có chức năng PTZ.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="344"/>
        <source>PTZ control — %1</source>
        <translation>Điều khiển PTZ — %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="359"/>
        <source>PTZ unavailable: %1</source>
        <translation>Không điều khiển được PTZ: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="398"/>
        <location filename="../../widgets/main_window.py" line="421"/>
        <source>PTZ: you</source>
        <translation>PTZ: bạn đang điều khiển</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="401"/>
        <source>PTZ: %1 (you wait, number %2)</source>
        <translation>PTZ: %1 (bạn đang chờ, thứ tự %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="405"/>
        <source>PTZ taken by %1</source>
        <translation>PTZ đã bị %1 giành quyền</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="419"/>
        <source>PTZ: free</source>
        <translation>PTZ: đang rảnh</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="423"/>
        <source>PTZ: %1</source>
        <translation>PTZ: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="433"/>
        <source>PTZ error: %1</source>
        <translation>Lỗi PTZ: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="453"/>
        <source>Layout %1 cannot be shown: %2</source>
        <translation>Không thể hiển thị bố cục %1: %2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="510"/>
        <source>Save layout as</source>
        <translation>Lưu bố cục thành</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="510"/>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="519"/>
        <source>Rename layout</source>
        <translation>Đổi tên bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="519"/>
        <source>New name:</source>
        <translation>Tên mới:</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="529"/>
        <source>Delete the layout %1?</source>
        <translation>Xóa bố cục %1?</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="534"/>
        <source>Custom grid</source>
        <translation>Lưới tùy chọn</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="535"/>
        <source>Rows × columns (e.g. 2x3):</source>
        <translation>Số hàng × số cột (ví dụ 2x3):</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="542"/>
        <source>Not a grid: %1</source>
        <translation>Không phải lưới hợp lệ: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="558"/>
        <source>Layout %1 saved.</source>
        <translation>Đã lưu bố cục %1.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="578"/>
        <source>My layouts</source>
        <translation>Bố cục của tôi</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="579"/>
        <source>Shared by my unit</source>
        <translation>Đơn vị chia sẻ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="584"/>
        <source>%1 (by %2, read-only)</source>
        <translation>%1 (của %2, chỉ xem)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="587"/>
        <source>%1 (at start)</source>
        <translation>%1 (khi khởi động)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="594"/>
        <location filename="../../widgets/main_window.py" line="657"/>
        <source>(none)</source>
        <translation>(không có)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="611"/>
        <source>Layout: (not saved)</source>
        <translation>Bố cục: (chưa lưu)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="613"/>
        <source>Layout: %1</source>
        <translation>Bố cục: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="615"/>
        <source>Layout: %1 (read-only)</source>
        <translation>Bố cục: %1 (chỉ xem)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="623"/>
        <source>No saved layouts to tour.</source>
        <translation>Không có bố cục đã lưu để tuần tra.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="637"/>
        <source>(not available)</source>
        <translation>(không khả dụng)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="640"/>
        <source>New wall window on</source>
        <translation>Mở cửa sổ màn hình tường mới trên</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="647"/>
        <source>Wall %1 on %2</source>
        <translation>Màn hình tường %1 trên %2</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="650"/>
        <source>Show layout</source>
        <translation>Hiển thị bố cục</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="659"/>
        <source>Move to screen</source>
        <translation>Chuyển sang màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="669"/>
        <source>Close this wall window</source>
        <translation>Đóng cửa sổ màn hình tường này</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="675"/>
        <source>%1 (this window&apos;s screen)</source>
        <translation>%1 (màn hình của cửa sổ này)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="699"/>
        <source>The language changes at the next start.</source>
        <translation>Ngôn ngữ sẽ được đổi ở lần khởi động sau.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="712"/>
        <source>Info</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="712"/>
        <source>Warning</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="713"/>
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
    <name>RejectDialog</name>
    <message>
        <location filename="../../widgets/requests_panel.py" line="135"/>
        <source>Reject clip request #%1</source>
        <translation>Từ chối yêu cầu trích xuất số %1</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="138"/>
        <source>Reason (shown to the requester)</source>
        <translation>Lý do (hiển thị cho người yêu cầu)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="139"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>RequestsPanel</name>
    <message>
        <location filename="../../widgets/requests_panel.py" line="171"/>
        <source>Mine</source>
        <translation>Của tôi</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="172"/>
        <location filename="../../widgets/requests_panel.py" line="272"/>
        <source>Awaiting my action</source>
        <translation>Chờ tôi xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="180"/>
        <source>New request…</source>
        <translation>Yêu cầu mới…</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="181"/>
        <source>Endorse</source>
        <translation>Đề xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="182"/>
        <source>Approve</source>
        <translation>Phê duyệt</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="183"/>
        <source>Reject…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="184"/>
        <source>Download</source>
        <translation>Tải về</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="185"/>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="186"/>
        <source>Verify file…</source>
        <translation>Kiểm tra tệp…</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="196"/>
        <source>Downloading… %p%</source>
        <translation>Đang tải về… %p%</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="197"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="246"/>
        <source>requested</source>
        <translation>đã yêu cầu</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="246"/>
        <source>endorsed</source>
        <translation>đã đề xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="247"/>
        <source>approved</source>
        <translation>đã phê duyệt</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="247"/>
        <source>rejected</source>
        <translation>bị từ chối</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="248"/>
        <source>extracting</source>
        <translation>đang trích xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="248"/>
        <source>ready</source>
        <translation>sẵn sàng</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="249"/>
        <source>delivered</source>
        <translation>đã giao</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="249"/>
        <source>failed</source>
        <translation>thất bại</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="307"/>
        <source>Request #%1, %2</source>
        <translation>Yêu cầu số %1, %2</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="310"/>
        <source>system</source>
        <translation>hệ thống</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="314"/>
        <source>Reason: %1</source>
        <translation>Lý do: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="316"/>
        <source>Error: %1</source>
        <translation>Lỗi: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="341"/>
        <source>Choose a camera.</source>
        <translation>Hãy chọn một camera.</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="396"/>
        <source>Clip to verify</source>
        <translation>Đoạn video cần kiểm tra</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="397"/>
        <source>Clips (*.mp4)</source>
        <translation>Đoạn video (*.mp4)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="407"/>
        <source>Its manifest</source>
        <translation>Tệp kê khai của đoạn video</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="408"/>
        <source>Manifests (*.json)</source>
        <translation>Tệp kê khai (*.json)</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="418"/>
        <source>Verifying %1…</source>
        <translation>Đang kiểm tra %1…</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="423"/>
        <source>Intact</source>
        <translation>Nguyên vẹn</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="423"/>
        <source>ALTERED</source>
        <translation>ĐÃ BỊ THAY ĐỔI</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="424"/>
        <source>SIGNATURE INVALID</source>
        <translation>CHỮ KÝ KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="450"/>
        <source>Download cancelled</source>
        <translation>Đã hủy tải về</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="451"/>
        <source>Download failed: %1</source>
        <translation>Tải về thất bại: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/requests_panel.py" line="467"/>
        <source>Request #%1: %2</source>
        <translation>Yêu cầu số %1: %2</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/tile.py" line="333"/>
        <location filename="../../widgets/tile.py" line="334"/>
        <location filename="../../widgets/tile.py" line="394"/>
        <location filename="../../widgets/tile.py" line="425"/>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="343"/>
        <source>Empty — drop a camera here</source>
        <translation>Trống — kéo camera vào đây</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="427"/>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="430"/>
        <source>Frozen %n s</source>
        <translation>
            <numerusform>Đứng hình %n giây</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="431"/>
        <source>Frozen</source>
        <translation>Đứng hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="403"/>
        <location filename="../../widgets/tile.py" line="434"/>
        <source>Offline: %1</source>
        <translation>Mất tín hiệu: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="175"/>
        <location filename="../../widgets/tile.py" line="436"/>
        <source>Replay</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="176"/>
        <source>Instant replay of the last 30 s (R)</source>
        <translation>Xem lại ngay 30 giây vừa qua (R)</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="181"/>
        <source>Bookmark</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="182"/>
        <source>Bookmark this moment of the camera (B)</source>
        <translation>Đánh dấu thời điểm này của camera (B)</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="190"/>
        <source>Tour position</source>
        <translation>Vị trí tuần tra</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="259"/>
        <source>Tour %1</source>
        <translation>Tuần tra %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="295"/>
        <source>No permission to view this camera</source>
        <translation>Không có quyền xem camera này</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="396"/>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="399"/>
        <source>STALLED — no new picture for %n s</source>
        <translation>
            <numerusform>ĐỨNG HÌNH — không có hình mới trong %n giây</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="401"/>
        <source>offline</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="405"/>
        <source>Offline: %1 — reconnecting in %n s</source>
        <translation>
            <numerusform>Mất tín hiệu: %1 — kết nối lại sau %n giây</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="410"/>
        <source>REPLAY — %n s behind live (R: back to live)</source>
        <translation>
            <numerusform>XEM LẠI — chậm %n giây so với trực tiếp (R: về trực tiếp)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="434"/>
        <source>Offline</source>
        <translation>Mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="437"/>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="441"/>
        <source>connection refused</source>
        <translation>bị từ chối kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="442"/>
        <source>wrong camera credentials</source>
        <translation>sai thông tin đăng nhập camera</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="443"/>
        <source>no answer</source>
        <translation>không phản hồi</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="444"/>
        <source>stream not found</source>
        <translation>không tìm thấy luồng video</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="445"/>
        <source>access denied</source>
        <translation>bị từ chối truy cập</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="446"/>
        <source>disconnected</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="447"/>
        <source>no video</source>
        <translation>không có hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="448"/>
        <source>player error</source>
        <translation>lỗi trình phát</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="449"/>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
</context>
<context>
    <name>WallView</name>
    <message>
        <location filename="../../widgets/wall_view.py" line="212"/>
        <source>%1 (%2 tiles)</source>
        <translation>%1 (%2 ô)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="214"/>
        <source>%1×%2 (%3 tiles)</source>
        <translation>%1×%2 (%3 ô)</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="421"/>
        <source>Camera #%1</source>
        <translation>Camera số %1</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="443"/>
        <source>Tour all cameras in this tile</source>
        <translation>Tuần tra mọi camera trong ô này</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="448"/>
        <source>Tour the cameras of %1 in this tile</source>
        <translation>Tuần tra các camera của %1 trong ô này</translation>
    </message>
    <message>
        <location filename="../../widgets/wall_view.py" line="452"/>
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
