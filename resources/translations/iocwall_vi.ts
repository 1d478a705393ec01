<?xml version='1.0' encoding='UTF-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>CameraTree</name>
    <message>
        <location filename="../../widgets/camera_tree.py" line="57"/>
        <source>Search cameras…</source>
        <translation>Tìm camera…</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="79"/>
        <source>Smart-city cameras</source>
        <translation>Camera đô thị thông minh</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="80"/>
        <source>Public cameras</source>
        <translation>Camera công cộng</translation>
    </message>
    <message>
        <location filename="../../widgets/camera_tree.py" line="81"/>
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
        <location filename="../../widgets/main_window.py" line="63"/>
        <source>iocwall — Đồng Hới IOC video wall</source>
        <translation>iocwall — Màn hình giám sát IOC Đồng Hới</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="71"/>
        <source>Cameras</source>
        <translation>Danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="79"/>
        <source>Messages</source>
        <translation>Thông báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="96"/>
        <source>&amp;System</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="97"/>
        <source>Reload camera list</source>
        <translation>Tải lại danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="99"/>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="101"/>
        <source>Quit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="108"/>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="122"/>
        <source>User: %1 (%2)</source>
        <translation>Người dùng: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="126"/>
        <source>Unit: %1</source>
        <translation>Đơn vị: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="141"/>
        <source>Loading cameras</source>
        <translation>Đang tải danh sách camera</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="148"/>
        <source>Cameras (%1)</source>
        <translation>Danh sách camera (%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="156"/>
        <source>The language changes at the next start.</source>
        <translation>Ngôn ngữ sẽ được đổi ở lần khởi động sau.</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="169"/>
        <source>Info</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="169"/>
        <source>Warning</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="170"/>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <location filename="../../widgets/tile.py" line="109"/>
        <location filename="../../widgets/tile.py" line="142"/>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="116"/>
        <source>Empty — drop a camera here</source>
        <translation>Trống — kéo camera vào đây</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="144"/>
        <source>Live</source>
        <translation>Trực tiếp</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/tile.py" line="147"/>
        <source>Frozen %n s</source>
        <translation><numerusform>Đứng hình %n giây</numerusform></translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="148"/>
        <source>Frozen</source>
        <translation>Đứng hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="151"/>
        <source>Offline: %1</source>
        <translation>Mất tín hiệu: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="151"/>
        <source>Offline</source>
        <translation>Mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="152"/>
        <source>Stopped</source>
        <translation>Đã dừng</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="156"/>
        <source>connection refused</source>
        <translation>bị từ chối kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="157"/>
        <source>wrong camera credentials</source>
        <translation>sai thông tin đăng nhập camera</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="158"/>
        <source>no answer</source>
        <translation>không phản hồi</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="159"/>
        <source>stream not found</source>
        <translation>không tìm thấy luồng video</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="160"/>
        <source>access denied</source>
        <translation>bị từ chối truy cập</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="161"/>
        <source>disconnected</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="162"/>
        <source>no video</source>
        <translation>không có hình</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="163"/>
        <source>player error</source>
        <translation>lỗi trình phát</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="164"/>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
</context>
</TS>