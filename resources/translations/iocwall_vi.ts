<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
    <context>
        <name>AccessPanel</name>
        <message>
            <location filename="../../widgets/access_panel.py" line="227" />
            <source>#</source>
            <translation>Số</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="227" />
            <source>Agency</source>
            <translation>Cơ quan</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="228" />
            <source>Requester</source>
            <translation>Người đề nghị</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="229" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="230" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="231" />
            <source>Wanted (UTC+7)</source>
            <translation>Thời gian đề nghị (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="232" />
            <source>Grant ends (UTC+7)</source>
            <translation>Hết hạn quyền (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="265" />
            <source>New request…</source>
            <translation>Đề nghị mới…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="267" />
            <source>Open letter</source>
            <translation>Mở công văn</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="269" />
            <source>Grant…</source>
            <translation>Cấp quyền…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="271" />
            <source>Reject…</source>
            <translation>Từ chối…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="273" />
            <source>Revoke</source>
            <translation>Thu hồi</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="276" />
            <source>Refresh</source>
            <translation>Làm mới</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="293" />
            <source>awaiting decision</source>
            <translation>chờ quyết định</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="293" />
            <source>granted</source>
            <translation>đã cấp quyền</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="294" />
            <source>rejected</source>
            <translation>bị từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="307" />
            <source>ended %1</source>
            <translation>đã hết hạn %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="326" />
            <source>Request #%1 of %2, filed %3</source>
            <translation>Yêu cầu số %1 của %2, gửi lúc %3</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="328" />
            <source>Content: %1</source>
            <translation>Nội dung: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="329" />
            <source>Purpose: %1</source>
            <translation>Mục đích: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="330" />
            <source>Commitment: %1</source>
            <translation>Cam kết: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="331" />
            <source>Letter: %1 (SHA-256 %2)</source>
            <translation>Công văn: %1 (SHA-256 %2)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="334" />
            <source>Decided by %1 at %2</source>
            <translation>Quyết định bởi %1 lúc %2</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="337" />
            <source>Reason: %1</source>
            <translation>Lý do: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="339" />
            <source>%1: %2 – %3 (%4)</source>
            <translation>%1: %2 – %3 (%4)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="342" />
            <source>running</source>
            <translation>đang hiệu lực</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="342" />
            <source>not running</source>
            <translation>không hiệu lực</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="375" />
            <source>Cameras: tick at least one camera in the list.</source>
            <translation>Camera: hãy đánh dấu ít nhất một camera trong danh sách.</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="379" />
            <source>Letter: choose the official letter (a PDF file).</source>
            <translation>Công văn: chọn công văn đề nghị (tệp PDF).</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="400" />
            <source>Check at least one camera.</source>
            <translation>Chọn ít nhất một camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="436" />
            <source>Revoke access</source>
            <translation>Thu hồi quyền truy cập</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="437" />
            <source>End the access granted to %1 (request #%2) now? Its cameras disappear from the agency's list at once.</source>
            <translation>Chấm dứt ngay quyền truy cập đã cấp cho %1 (yêu cầu số %2)? Các camera sẽ biến mất khỏi danh sách của cơ quan đó ngay lập tức.</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="452" />
            <source>Fetching the letter…</source>
            <translation>Đang tải công văn…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="457" />
            <source>Letter saved to %1</source>
            <translation>Đã lưu công văn vào %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="466" />
            <source>Request #%1: %2</source>
            <translation>Yêu cầu số %1: %2</translation>
        </message>
    </context>
    <context>
        <name>AccessRejectDialog</name>
        <message>
            <location filename="../../widgets/access_panel.py" line="216" />
            <source>Reject access request #%1</source>
            <translation>Từ chối yêu cầu truy cập số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="217" />
            <source>Reason (shown to the agency; required)</source>
            <translation>Lý do (gửi cho cơ quan đề nghị; bắt buộc)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="217" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="218" />
            <source>Reject</source>
            <translation>Từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="218" />
            <source>A rejection needs a reason</source>
            <translation>Từ chối phải nêu lý do</translation>
        </message>
    </context>
    <context>
        <name>AccessRequestDialog</name>
        <message>
            <location filename="../../widgets/access_panel.py" line="61" />
            <source>Request access to cameras</source>
            <translation>Đề nghị truy cập camera</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="65" />
            <source>What you need to see (at least 10 characters)</source>
            <translation>Nội dung cần xem (ít nhất 10 ký tự)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="68" />
            <source>Why (the case or task)</source>
            <translation>Mục đích (vụ việc hoặc nhiệm vụ)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="71" />
            <source>We commit to use the pictures for this purpose only</source>
            <translation>Cam kết chỉ sử dụng hình ảnh cho mục đích đã nêu</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="74" />
            <source>Content</source>
            <translation>Nội dung</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="75" />
            <source>Purpose</source>
            <translation>Mục đích</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="76" />
            <source>Commitment</source>
            <translation>Cam kết</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="79" />
            <source>Filter by name, ward or location</source>
            <translation>Lọc theo tên, phường hoặc vị trí</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="85" />
            <source>Loading the cameras you may ask for…</source>
            <translation>Đang tải danh sách camera được phép đề nghị…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="90" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="96" />
            <source>From (UTC+7)</source>
            <translation>Từ (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="97" />
            <source>Until (UTC+7)</source>
            <translation>Đến (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="100" />
            <source>Official letter (PDF)</source>
            <translation>Công văn đề nghị (PDF)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="101" />
            <source>Choose…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="105" />
            <source>Letter</source>
            <translation>Công văn</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="106" />
            <source>Send request</source>
            <translation>Gửi đề nghị</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="115" />
            <source>#%1 %2 — %3, %4</source>
            <translation>#%1 %2 — %3, %4</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="150" />
            <source>No camera can be requested at the moment.</source>
            <translation>Hiện không có camera nào có thể đề nghị.</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="152" />
            <source>%1 of %2 cameras chosen</source>
            <translation>Đã chọn %1/%2 camera</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="156" />
            <source>Official letter</source>
            <translation>Công văn đề nghị</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="156" />
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>AccessRequestService</name>
        <message>
            <location filename="../../app/access_requests.py" line="81" />
            <source>letter: choose the official letter (a PDF file)</source>
            <translation>letter: chọn công văn đề nghị (tệp PDF)</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="83" />
            <source>letter: %1 is larger than 10 MB</source>
            <translation>letter: %1 lớn hơn 10 MB</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="85" />
            <location filename="../../app/access_requests.py" line="95" />
            <source>letter: cannot read %1 (%2)</source>
            <translation>letter: không đọc được %1 (%2)</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="87" />
            <source>letter: %1 is not a PDF file; attach the official letter as a PDF</source>
            <translation>letter: %1 không phải tệp PDF; hãy đính kèm công văn đề nghị dạng PDF</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="137" />
            <source>Access requests</source>
            <translation>Yêu cầu truy cập</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="193" />
            <source>Access request #%1 from %2 awaits a decision</source>
            <translation>Yêu cầu truy cập số %1 của %2 đang chờ quyết định</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="197" />
            <source>Access request #%1 was granted until %2</source>
            <translation>Yêu cầu truy cập số %1 đã được cấp quyền đến %2</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="200" />
            <source>Access request #%1 was rejected: %2</source>
            <translation>Yêu cầu truy cập số %1 bị từ chối: %2</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="224" />
            <source>Cameras to request</source>
            <translation>Camera có thể đề nghị</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="241" />
            <location filename="../../app/access_requests.py" line="278" />
            <source>Access request</source>
            <translation>Yêu cầu truy cập</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="247" />
            <source>camera_ids: name at least one camera</source>
            <translation>camera_ids: nêu ít nhất một camera</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="268" />
            <source>reason: a rejection needs a reason (at least 3 characters)</source>
            <translation>reason: từ chối phải nêu lý do (ít nhất 3 ký tự)</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="258" />
            <source>camera_ids: choose at least one camera to grant</source>
            <translation>camera_ids: chọn ít nhất một camera để cấp quyền</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="295" />
            <source>Access request: %1</source>
            <translation>Yêu cầu truy cập: %1</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="302" />
            <source>Letter</source>
            <translation>Công văn</translation>
        </message>
        <message>
            <location filename="../../app/access_requests.py" line="309" />
            <source>the server did not send a PDF letter</source>
            <translation>máy chủ không gửi công văn PDF</translation>
        </message>
    </context>
    <context>
        <name>AddClipDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="322" />
            <source>Add evidence to case #%1</source>
            <translation>Bổ sung chứng cứ cho vụ việc #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="329" />
            <source>Clip request #%1: %2, %3</source>
            <translation>Yêu cầu trích xuất #%1: %2, %3</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="332" />
            <source>Clip request</source>
            <translation>Yêu cầu trích xuất</translation>
        </message>
    </context>
    <context>
        <name>AddressPage</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="71" />
            <source>Camera address</source>
            <translation>Địa chỉ camera</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="72" />
            <source>Where the camera is, how to log in to it, and which media gateway will serve it.</source>
            <translation>Camera ở đâu, đăng nhập vào camera bằng tài khoản nào và cổng truyền hình (gateway) nào sẽ phục vụ nó.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="75" />
            <source>ONVIF camera</source>
            <translation>Camera ONVIF</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="76" />
            <source>RTSP address only (no ONVIF)</source>
            <translation>Chỉ có địa chỉ RTSP (không có ONVIF)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="85" />
            <source>Host</source>
            <translation>Địa chỉ máy (host)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="87" />
            <source>ONVIF port</source>
            <translation>Cổng ONVIF</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="90" />
            <source>RTSP address</source>
            <translation>Địa chỉ RTSP</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="92" />
            <source>User name</source>
            <translation>Tên đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="95" />
            <source>Password</source>
            <translation>Mật khẩu</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="96" />
            <source>(choose a gateway)</source>
            <translation>(chọn gateway)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="99" />
            <source>Gateway</source>
            <translation>Gateway</translation>
        </message>
    </context>
    <context>
        <name>AdminDialogs</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="39" />
            <source>At least %1 characters; not a common password, not the user name.</source>
            <translation>Ít nhất %1 ký tự; không dùng mật khẩu phổ biến, không chứa tên đăng nhập.</translation>
        </message>
    </context>
    <context>
        <name>AdminForms</name>
        <message>
            <location filename="../../widgets/admin_forms.py" line="50" />
            <location filename="../../widgets/admin_forms.py" line="85" />
            <source>Required.</source>
            <translation>Bắt buộc nhập.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="51" />
            <source>Latitude is between -90 and 90.</source>
            <translation>Vĩ độ phải nằm trong khoảng -90 đến 90.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="52" />
            <source>Longitude is between -180 and 180.</source>
            <translation>Kinh độ phải nằm trong khoảng -180 đến 180.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="53" />
            <source>Direction is between 0 and 359 degrees.</source>
            <translation>Hướng phải nằm trong khoảng 0 đến 359 độ.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="54" />
            <source>A port is between 1 and 65535.</source>
            <translation>Cổng phải nằm trong khoảng 1 đến 65535.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="55" />
            <source>Enter an address of the form rtsp://host:port/path.</source>
            <translation>Nhập địa chỉ dạng rtsp://host:cổng/đường-dẫn.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="57" />
            <source>No user name or password in the address (user:pass@): enter them in their own fields.</source>
            <translation>Không ghi tên đăng nhập hay mật khẩu trong địa chỉ (user:pass@): hãy nhập vào ô riêng của chúng.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="60" />
            <location filename="../../widgets/admin_forms.py" line="79" />
            <source>The password needs at least %1 characters.</source>
            <translation>Mật khẩu cần ít nhất %1 ký tự.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="62" />
            <source>The two passwords differ.</source>
            <translation>Hai mật khẩu không khớp nhau.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="63" />
            <source>Enter a host name or an IP address.</source>
            <translation>Hãy nhập tên máy hoặc địa chỉ IP.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="64" />
            <source>Enter an address of the form http://host:port.</source>
            <translation>Hãy nhập địa chỉ dạng http://máy:cổng.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="66" />
            <source>The secret needs at least %1 characters.</source>
            <translation>Mã bí mật cần ít nhất %1 ký tự.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="76" />
            <source>This name is already used.</source>
            <translation>Tên này đã được dùng.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="78" />
            <source>An account with this user name already exists.</source>
            <translation>Đã có tài khoản với tên đăng nhập này.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="82" />
            <source>This password is too common: choose another.</source>
            <translation>Mật khẩu này quá phổ biến: hãy chọn mật khẩu khác.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="84" />
            <source>The password must not contain the user name.</source>
            <translation>Mật khẩu không được chứa tên đăng nhập.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="86" />
            <source>The current password is wrong.</source>
            <translation>Mật khẩu hiện tại không đúng.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="88" />
            <source>The new password must differ from the current one.</source>
            <translation>Mật khẩu mới phải khác mật khẩu hiện tại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="90" />
            <source>A unit of this kind belongs to one ward: choose it.</source>
            <translation>Đơn vị loại này thuộc một phường: hãy chọn phường.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="92" />
            <source>A unit of this kind belongs to no ward.</source>
            <translation>Đơn vị loại này không thuộc phường nào.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="93" />
            <source>This ward does not exist.</source>
            <translation>Phường này không tồn tại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="94" />
            <source>This ward is deactivated.</source>
            <translation>Phường này đã ngừng hoạt động.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="95" />
            <source>This unit does not exist.</source>
            <translation>Đơn vị này không tồn tại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="96" />
            <source>This unit is deactivated.</source>
            <translation>Đơn vị này đã ngừng hoạt động.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="98" />
            <source>A camera of the public system needs its owner category.</source>
            <translation>Camera thuộc hệ thống công cộng cần có loại chủ sở hữu.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="100" />
            <source>Only cameras of the public system have an owner category.</source>
            <translation>Chỉ camera thuộc hệ thống công cộng mới có loại chủ sở hữu.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="102" />
            <source>Another camera has this external id.</source>
            <translation>Một camera khác đã có mã ngoài (external id) này.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="104" />
            <source>Enter the ONVIF host with the ONVIF port.</source>
            <translation>Hãy nhập địa chỉ ONVIF cùng với cổng ONVIF.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="110" />
            <source>A camera with a password needs the gateway that serves it.</source>
            <translation>Camera có mật khẩu cần có gateway phục vụ nó.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="112" />
            <source>A gateway with this name already exists.</source>
            <translation>Đã có gateway mang tên này.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="114" />
            <source>The gateway still serves cameras: move them to another gateway first.</source>
            <translation>Gateway này vẫn đang phục vụ camera: hãy chuyển chúng sang gateway khác trước.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="116" />
            <location filename="../../widgets/admin_forms.py" line="117" />
            <source>This gateway does not exist.</source>
            <translation>Gateway này không tồn tại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="118" />
            <source>This gateway is switched off.</source>
            <translation>Gateway này đang tắt.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="120" />
            <source>The RTSP address must be on the host entered.</source>
            <translation>Địa chỉ RTSP phải nằm trên đúng máy (host) đã nhập.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="127" />
            <source>The server cannot be reached: try again.</source>
            <translation>Không kết nối được máy chủ: hãy thử lại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="129" />
            <source>Only administrators may do this.</source>
            <translation>Chỉ quản trị viên mới được làm việc này.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="131" />
            <source>Unexpected error: %1</source>
            <translation>Lỗi không mong đợi: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="144" />
            <source>The server refused: %1</source>
            <translation>Máy chủ từ chối: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_forms.py" line="221" />
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
    </context>
    <context>
        <name>AdminPanels</name>
        <message>
            <location filename="../../widgets/admin_panels.py" line="101" />
            <source>Reports</source>
            <translation>Báo cáo</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_panels.py" line="102" />
            <source>Access requests</source>
            <translation>Yêu cầu truy cập</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_panels.py" line="103" />
            <source>Audit log</source>
            <translation>Nhật ký</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_panels.py" line="128" />
            <location filename="../../widgets/admin_window.py" line="525" />
            <source>&amp;Administration</source>
            <translation>&amp;Quản trị</translation>
        </message>
    </context>
    <context>
        <name>AdminService</name>
        <message>
            <location filename="../../app/admin.py" line="91" />
            <source>Wards</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="94" />
            <source>Units</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="97" />
            <source>Accounts</source>
            <translation>Tài khoản</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="104" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="111" />
            <source>Gateways</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="114" />
            <location filename="../../app/admin.py" line="122" />
            <source>Public data catalogue</source>
            <translation>Danh mục dữ liệu công khai</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="127" />
            <source>New ward</source>
            <translation>Phường mới</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="132" />
            <source>Ward change</source>
            <translation>Sửa phường</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="137" />
            <source>New unit</source>
            <translation>Đơn vị mới</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="142" />
            <source>Unit change</source>
            <translation>Sửa đơn vị</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="149" />
            <source>New account</source>
            <translation>Tài khoản mới</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="154" />
            <source>Account change</source>
            <translation>Sửa tài khoản</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="159" />
            <source>Password reset</source>
            <translation>Đặt lại mật khẩu</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="164" />
            <source>Account state</source>
            <translation>Trạng thái tài khoản</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="169" />
            <source>End session</source>
            <translation>Kết thúc phiên</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="177" />
            <source>New gateway</source>
            <translation>Gateway mới</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="183" />
            <source>Gateway change</source>
            <translation>Sửa gateway</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="189" />
            <source>New camera</source>
            <translation>Camera mới</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="194" />
            <source>Camera change</source>
            <translation>Sửa camera</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="200" />
            <source>Saving privacy masks</source>
            <translation>Đang lưu vùng che riêng tư</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="205" />
            <source>Camera state</source>
            <translation>Trạng thái camera</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="211" />
            <source>Camera probe</source>
            <translation>Dò camera</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="217" />
            <source>Import check</source>
            <translation>Kiểm tra tệp nhập</translation>
        </message>
        <message>
            <location filename="../../app/admin.py" line="218" />
            <source>Camera import</source>
            <translation>Nhập camera</translation>
        </message>
    </context>
    <context>
        <name>AdminWindow</name>
        <message>
            <location filename="../../widgets/admin_window.py" line="81" />
            <source>%1 shown of %2</source>
            <translation>Hiển thị %1 / %2</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="96" />
            <source>Administration</source>
            <translation>Quản trị hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="118" />
            <source>Wards</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="119" />
            <source>Units</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="120" />
            <location filename="../../widgets/admin_window.py" line="232" />
            <location filename="../../widgets/admin_window.py" line="237" />
            <source>Accounts</source>
            <translation>Tài khoản</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="121" />
            <location filename="../../widgets/admin_window.py" line="440" />
            <location filename="../../widgets/admin_window.py" line="449" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="122" />
            <source>Gateways</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="123" />
            <source>Public data</source>
            <translation>Dữ liệu công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="141" />
            <source>Loading…</source>
            <translation>Đang tải…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="199" />
            <location filename="../../widgets/admin_window.py" line="201" />
            <location filename="../../widgets/admin_window.py" line="229" />
            <location filename="../../widgets/admin_window.py" line="234" />
            <location filename="../../widgets/admin_window.py" line="367" />
            <location filename="../../widgets/admin_window.py" line="391" />
            <location filename="../../widgets/admin_window.py" line="438" />
            <location filename="../../widgets/admin_window.py" line="445" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="200" />
            <location filename="../../widgets/admin_window.py" line="202" />
            <location filename="../../widgets/admin_window.py" line="233" />
            <location filename="../../widgets/admin_window.py" line="238" />
            <location filename="../../widgets/admin_window.py" line="270" />
            <location filename="../../widgets/admin_window.py" line="292" />
            <location filename="../../widgets/admin_window.py" line="372" />
            <location filename="../../widgets/admin_window.py" line="405" />
            <location filename="../../widgets/admin_window.py" line="444" />
            <location filename="../../widgets/admin_window.py" line="450" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="203" />
            <source>Search wards</source>
            <translation>Tìm phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="204" />
            <source>New ward…</source>
            <translation>Thêm phường…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="206" />
            <source>Rename…</source>
            <translation>Đổi tên…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="207" />
            <location filename="../../widgets/admin_window.py" line="243" />
            <location filename="../../widgets/admin_window.py" line="277" />
            <location filename="../../widgets/admin_window.py" line="382" />
            <source>Deactivate / activate</source>
            <translation>Ngừng / kích hoạt lại</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="224" />
            <location filename="../../widgets/admin_window.py" line="260" />
            <location filename="../../widgets/admin_window.py" line="345" />
            <location filename="../../widgets/admin_window.py" line="429" />
            <source>Saved.</source>
            <translation>Đã lưu.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="230" />
            <location filename="../../widgets/admin_window.py" line="235" />
            <source>Kind</source>
            <translation>Loại</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="231" />
            <location filename="../../widgets/admin_window.py" line="236" />
            <location filename="../../widgets/admin_window.py" line="368" />
            <location filename="../../widgets/admin_window.py" line="391" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="239" />
            <source>Search units</source>
            <translation>Tìm đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="240" />
            <source>New unit…</source>
            <translation>Thêm đơn vị…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="242" />
            <location filename="../../widgets/admin_window.py" line="274" />
            <location filename="../../widgets/admin_window.py" line="379" />
            <location filename="../../widgets/admin_window.py" line="454" />
            <source>Edit…</source>
            <translation>Sửa…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="265" />
            <location filename="../../widgets/admin_window.py" line="290" />
            <source>User name</source>
            <translation>Tên đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="266" />
            <location filename="../../widgets/admin_window.py" line="290" />
            <source>Full name</source>
            <translation>Họ và tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="267" />
            <location filename="../../widgets/admin_window.py" line="291" />
            <source>Unit</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="268" />
            <location filename="../../widgets/admin_window.py" line="291" />
            <source>Role</source>
            <translation>Vai trò</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="269" />
            <source>Sessions</source>
            <translation>Phiên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="271" />
            <source>Search accounts</source>
            <translation>Tìm tài khoản</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="272" />
            <source>New account…</source>
            <translation>Thêm tài khoản…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="275" />
            <source>Reset password…</source>
            <translation>Đặt lại mật khẩu…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="279" />
            <source>End every session</source>
            <translation>Kết thúc mọi phiên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="294" />
            <source>Password</source>
            <translation>Mật khẩu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="294" />
            <source>must be changed at the next login</source>
            <translation>phải đổi ở lần đăng nhập tới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="296" />
            <source>Open sessions</source>
            <translation>Phiên đang mở</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="299" />
            <source>None.</source>
            <translation>Không có.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="300" />
            <source>End session</source>
            <translation>Kết thúc phiên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="303" />
            <source>Session %1</source>
            <translation>Phiên %1</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="304" />
            <source>since %1, until %2</source>
            <translation>từ %1 đến %2</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="356" />
            <source>The session has ended.</source>
            <translation>Phiên đã kết thúc.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="362" />
            <source>Every session of the account has ended.</source>
            <translation>Mọi phiên của tài khoản đã kết thúc.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="369" />
            <location filename="../../widgets/admin_window.py" line="392" />
            <source>System</source>
            <translation>Hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="370" />
            <location filename="../../widgets/admin_window.py" line="401" />
            <source>Gateway</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="371" />
            <location filename="../../widgets/admin_window.py" line="402" />
            <source>Credentials</source>
            <translation>Thông tin đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="373" />
            <source>Search cameras</source>
            <translation>Tìm camera</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="374" />
            <source>Add camera…</source>
            <translation>Thêm camera…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="376" />
            <source>Import CSV…</source>
            <translation>Nhập từ CSV…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="380" />
            <source>Privacy masks…</source>
            <translation>Vùng che riêng tư…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="393" />
            <source>Owner category</source>
            <translation>Loại chủ sở hữu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="394" />
            <source>Location</source>
            <translation>Vị trí</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="395" />
            <source>Latitude</source>
            <translation>Vĩ độ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="395" />
            <source>Longitude</source>
            <translation>Kinh độ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="396" />
            <source>Direction</source>
            <translation>Hướng</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="397" />
            <source>Main stream</source>
            <translation>Luồng chính</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="397" />
            <source>Sub stream</source>
            <translation>Luồng phụ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="398" />
            <source>ONVIF</source>
            <translation>ONVIF</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="399" />
            <source>PTZ</source>
            <translation>PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="399" />
            <source>yes</source>
            <translation>có</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="399" />
            <source>no</source>
            <translation>không</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="400" />
            <source>Transport</source>
            <translation>Giao thức truyền</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="402" />
            <source>held by the gateway</source>
            <translation>gateway đang giữ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="403" />
            <location filename="../../widgets/admin_window.py" line="404" />
            <source>none</source>
            <translation>không có</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="404" />
            <source>Privacy masks</source>
            <translation>Vùng che riêng tư</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="435" />
            <source>never</source>
            <translation>chưa bao giờ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="439" />
            <location filename="../../widgets/admin_window.py" line="446" />
            <source>RTSP</source>
            <translation>RTSP</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="441" />
            <source>Key</source>
            <translation>Khóa</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="441" />
            <source>reported</source>
            <translation>đã báo</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="442" />
            <source>not yet</source>
            <translation>chưa có</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="443" />
            <location filename="../../widgets/admin_window.py" line="449" />
            <source>Last heard</source>
            <translation>Liên lạc lần cuối</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="447" />
            <source>PTZ port</source>
            <translation>Cổng PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="448" />
            <source>Control</source>
            <translation>Điều khiển</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="451" />
            <source>Search gateways</source>
            <translation>Tìm gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="452" />
            <source>Add gateway…</source>
            <translation>Thêm gateway…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_window.py" line="526" />
            <source>Site administration…</source>
            <translation>Quản trị hệ thống…</translation>
        </message>
    </context>
    <context>
        <name>AdminWords</name>
        <message>
            <location filename="../../widgets/admin_words.py" line="23" />
            <source>Operating unit (IOC)</source>
            <translation>Đơn vị vận hành (IOC)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="24" />
            <source>City police</source>
            <translation>Công an thành phố</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="25" />
            <source>Traffic police</source>
            <translation>Cảnh sát giao thông</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="26" />
            <source>Urban order</source>
            <translation>Trật tự đô thị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="27" />
            <source>Ward police</source>
            <translation>Công an phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="28" />
            <source>Ward committee</source>
            <translation>UBND phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="29" />
            <source>Other agency</source>
            <translation>Cơ quan khác</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="36" />
            <source>Leader</source>
            <translation>Lãnh đạo</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="37" />
            <source>Officer</source>
            <translation>Cán bộ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="38" />
            <source>Operator</source>
            <translation>Trực vận hành</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="39" />
            <source>Administrator</source>
            <translation>Quản trị viên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="46" />
            <source>Smart city</source>
            <translation>Đô thị thông minh</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="47" />
            <source>Public (connected)</source>
            <translation>Công cộng (kết nối)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="48" />
            <source>Traffic</source>
            <translation>Giao thông</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="57" />
            <source>School</source>
            <translation>Trường học</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="58" />
            <source>Hospital</source>
            <translation>Bệnh viện</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="59" />
            <source>Agency</source>
            <translation>Cơ quan</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="60" />
            <source>Household</source>
            <translation>Hộ gia đình</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="61" />
            <source>Business</source>
            <translation>Doanh nghiệp</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="62" />
            <source>Other</source>
            <translation>Khác</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="69" />
            <source>Automatic (TCP, then UDP)</source>
            <translation>Tự động (TCP, sau đó UDP)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="70" />
            <source>TCP</source>
            <translation>TCP</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="71" />
            <source>UDP</source>
            <translation>UDP</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="78" />
            <source>Create</source>
            <translation>Tạo mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="79" />
            <source>Update</source>
            <translation>Cập nhật</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="80" />
            <source>Unchanged</source>
            <translation>Không đổi</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="86" />
            <source>Active</source>
            <translation>Đang hoạt động</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="86" />
            <source>Deactivated</source>
            <translation>Ngừng hoạt động</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="93" />
            <source>The camera cannot be reached at this address and port: check the address, the port and the network between the gateway and the camera.</source>
            <translation>Không kết nối được camera ở địa chỉ và cổng này: hãy kiểm tra địa chỉ, cổng và đường mạng giữa gateway và camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="96" />
            <source>Something answers at this address, but it is not an ONVIF camera: check the port, or enter the camera's RTSP address instead.</source>
            <translation>Có thiết bị trả lời ở địa chỉ này nhưng không phải camera ONVIF: hãy kiểm tra cổng, hoặc nhập địa chỉ RTSP của camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="99" />
            <source>The camera refused the user name or password.</source>
            <translation>Camera từ chối tên đăng nhập hoặc mật khẩu.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="101" />
            <source>The camera's clock is too far off to log in: set its date and time (or NTP) and try again.</source>
            <translation>Đồng hồ của camera lệch quá nhiều nên không đăng nhập được: hãy chỉnh ngày giờ (hoặc NTP) của camera rồi thử lại.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="104" />
            <source>The camera offers no video stream the gateway could open.</source>
            <translation>Camera không có luồng video nào mà gateway mở được.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="106" />
            <source>The camera's stream opens but cannot be played (no picture arrived or its codec is unknown).</source>
            <translation>Luồng của camera mở được nhưng không phát được (không nhận được hình hoặc chuẩn nén không xác định).</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="109" />
            <source>The camera did not answer in time.</source>
            <translation>Camera không trả lời kịp thời gian.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="111" />
            <source>The media gateway did not answer: check that it is running.</source>
            <translation>Gateway không trả lời: hãy kiểm tra gateway có đang chạy không.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="113" />
            <source>The media gateway refused the probe.</source>
            <translation>Gateway từ chối yêu cầu dò camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_words.py" line="117" />
            <source>The probe failed.</source>
            <translation>Dò camera không thành công.</translation>
        </message>
    </context>
    <context>
        <name>ApproveVersionDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="468" />
            <source>Approve a reclassification of case #%1</source>
            <translation>Phê duyệt phân loại lại vụ việc #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="473" />
            <source>Version %1: %2 (by %3)</source>
            <translation>Phiên bản %1: %2 (bởi %3)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="475" />
            <source>Version</source>
            <translation>Phiên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="478" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="479" />
            <source>Approve</source>
            <translation>Phê duyệt</translation>
        </message>
    </context>
    <context>
        <name>AssignDialog</name>
        <message>
            <location filename="../../widgets/roster_panel.py" line="317" />
            <source>Assign duty</source>
            <translation>Phân công trực</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="323" />
            <source>Find a person…</source>
            <translation>Tìm người…</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="329" />
            <source>Loading the operating unit's people…</source>
            <translation>Đang tải danh sách cán bộ của đơn vị vận hành…</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="338" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="341" />
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="371" />
            <source>%1 (no longer active: taken off when saved)</source>
            <translation>%1 (không còn hoạt động: sẽ bị bỏ khỏi ca khi lưu)</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="402" />
            <source>%1 chosen (at most %2)</source>
            <translation>Đã chọn %1 người (tối đa %2)</translation>
        </message>
    </context>
    <context>
        <name>AuditLogService</name>
        <message>
            <location filename="../../app/audit_log.py" line="59" />
            <source>the server sent an unreadable audit export</source>
            <translation>máy chủ gửi tệp nhật ký không đọc được</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="173" />
            <location filename="../../app/audit_log.py" line="202" />
            <source>Audit log</source>
            <translation>Nhật ký</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="209" />
            <source>Audit chain check</source>
            <translation>Kiểm tra chuỗi băm nhật ký</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="218" />
            <source>The audit log's hash chain is BROKEN at row %1: %2</source>
            <translation>Chuỗi băm của nhật ký BỊ PHÁ VỠ tại bản ghi %1: %2</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="226" />
            <source>Audit export</source>
            <translation>Xuất nhật ký</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="235" />
            <source>cannot write %1: %2</source>
            <translation>không ghi được %1: %2</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="240" />
            <source>Audit log: %1 rows saved to %2</source>
            <translation>Nhật ký: đã lưu %1 bản ghi vào %2</translation>
        </message>
        <message>
            <location filename="../../app/audit_log.py" line="250" />
            <source>Audit log: %1</source>
            <translation>Nhật ký: %1</translation>
        </message>
    </context>
    <context>
        <name>AuditPanel</name>
        <message>
            <location filename="../../widgets/audit_panel.py" line="55" />
            <source>#</source>
            <translation>Số TT</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="56" />
            <source>Time (UTC+7)</source>
            <translation>Thời gian (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="57" />
            <location filename="../../widgets/audit_panel.py" line="105" />
            <source>Event</source>
            <translation>Sự kiện</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="57" />
            <location filename="../../widgets/audit_panel.py" line="103" />
            <source>User</source>
            <translation>Tài khoản</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="58" />
            <location filename="../../widgets/audit_panel.py" line="107" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="59" />
            <source>Detail</source>
            <translation>Chi tiết</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="59" />
            <source>Hash</source>
            <translation>Băm</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="72" />
            <source>Hash chain not checked yet</source>
            <translation>Chưa kiểm tra chuỗi băm</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="78" />
            <source>Check chain</source>
            <translation>Kiểm tra chuỗi băm</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="84" />
            <source>From (UTC+7)</source>
            <translation>Từ (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="87" />
            <source>Until (UTC+7)</source>
            <translation>Đến (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="91" />
            <source>user name</source>
            <translation>tên tài khoản</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="94" />
            <source>(any event)</source>
            <translation>(mọi sự kiện)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="98" />
            <location filename="../../widgets/audit_panel.py" line="169" />
            <source>(any camera)</source>
            <translation>(mọi camera)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="109" />
            <source>Apply filters</source>
            <translation>Lọc</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="110" />
            <source>Export CSV…</source>
            <translation>Xuất CSV…</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="122" />
            <source>◀ Newer</source>
            <translation>◀ Mới hơn</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="123" />
            <source>Older ▶</source>
            <translation>Cũ hơn ▶</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="197" />
            <source>Loading…</source>
            <translation>Đang tải…</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="232" />
            <source>No rows match</source>
            <translation>Không có bản ghi phù hợp</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="234" />
            <source>Rows %1–%2</source>
            <translation>Bản ghi %1–%2</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="242" />
            <source>Checking the hash chain…</source>
            <translation>Đang kiểm tra chuỗi băm…</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="248" />
            <source>Hash chain intact: %1 rows checked</source>
            <translation>Chuỗi băm toàn vẹn: đã kiểm tra %1 bản ghi</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="252" />
            <source>Hash chain BROKEN at row %1: %2</source>
            <translation>Chuỗi băm BỊ PHÁ VỠ tại bản ghi %1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="261" />
            <source>Export the audit log</source>
            <translation>Xuất nhật ký</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="262" />
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="277" />
            <source>Exporting…</source>
            <translation>Đang xuất…</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="284" />
            <source>%1 rows saved to %2</source>
            <translation>Đã lưu %1 bản ghi vào %2</translation>
        </message>
        <message>
            <location filename="../../widgets/audit_panel.py" line="286" />
            <source>the file records that the hash chain is broken</source>
            <translation>tệp ghi nhận chuỗi băm bị phá vỡ</translation>
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <location filename="../../widgets/reports_panel.py" line="92" />
            <source>No data in this period</source>
            <translation>Không có dữ liệu trong kỳ này</translation>
        </message>
    </context>
    <context>
        <name>BookmarkDialog</name>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="80" />
            <source>Bookmark</source>
            <translation>Đánh dấu</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="82" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="83" />
            <source>Moment (UTC+7)</source>
            <translation>Thời điểm (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="86" />
            <location filename="../../widgets/bookmarks_panel.py" line="90" />
            <source> s</source>
            <translation> giây</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="92" />
            <source>Before</source>
            <translation>Trước</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="93" />
            <source>After</source>
            <translation>Sau</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="95" />
            <source>What happened</source>
            <translation>Sự việc xảy ra</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="97" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="99" />
            <source>tags, separated by commas</source>
            <translation>nhãn, cách nhau bằng dấu phẩy</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="100" />
            <source>Tags</source>
            <translation>Nhãn</translation>
        </message>
    </context>
    <context>
        <name>BookmarksPanel</name>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="143" />
            <source>Search notes and tags</source>
            <translation>Tìm trong ghi chú và nhãn</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="131" />
            <location filename="../../widgets/bookmarks_panel.py" line="148" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="131" />
            <location filename="../../widgets/bookmarks_panel.py" line="150" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="153" />
            <source>exact tag</source>
            <translation>nhãn chính xác</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="155" />
            <source>user name</source>
            <translation>tên đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="156" />
            <source>Tag</source>
            <translation>Nhãn</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="132" />
            <location filename="../../widgets/bookmarks_panel.py" line="158" />
            <source>Author</source>
            <translation>Người tạo</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="131" />
            <source>Time (UTC+7)</source>
            <translation>Thời điểm (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="131" />
            <source>Window</source>
            <translation>Khoảng ghi</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="132" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="132" />
            <source>Tags</source>
            <translation>Nhãn</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="160" />
            <source>From</source>
            <translation>Từ</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="162" />
            <source>To</source>
            <translation>Đến</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="180" />
            <source>Refresh</source>
            <translation>Làm mới</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="181" />
            <source>Request clip…</source>
            <translation>Yêu cầu trích xuất…</translation>
        </message>
        <message>
            <location filename="../../widgets/bookmarks_panel.py" line="218" />
            <source>All</source>
            <translation>Tất cả</translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/bookmarks_panel.py" line="267" />
            <source>%n bookmark(s)</source>
            <translation>
                <numerusform>%n đánh dấu</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CameraDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="236" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="237" />
            <source>(choose a ward)</source>
            <translation>(chọn phường)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="238" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="242" />
            <source>System</source>
            <translation>Hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="244" />
            <location filename="../../widgets/admin_dialogs.py" line="268" />
            <source>(none)</source>
            <translation>(không có)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="247" />
            <source>Owner category</source>
            <translation>Loại chủ sở hữu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="249" />
            <source>Location</source>
            <translation>Vị trí</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="252" />
            <source>Latitude</source>
            <translation>Vĩ độ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="255" />
            <source>Longitude</source>
            <translation>Kinh độ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="257" />
            <source>0–359°, 0 = north</source>
            <translation>0–359°, 0 = hướng bắc</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="258" />
            <source>Direction</source>
            <translation>Hướng</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="264" />
            <source>Pan, tilt, zoom</source>
            <translation>Quay, nghiêng, thu phóng (PTZ)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="275" />
            <source>Main stream</source>
            <translation>Luồng chính</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="276" />
            <source>Sub stream</source>
            <translation>Luồng phụ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="277" />
            <source>ONVIF host</source>
            <translation>Địa chỉ ONVIF</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="278" />
            <source>ONVIF port</source>
            <translation>Cổng ONVIF</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="280" />
            <source>Transport</source>
            <translation>Giao thức truyền</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="281" />
            <source>Gateway</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="282" />
            <source>Camera user name</source>
            <translation>Tên đăng nhập camera</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="283" />
            <source>Camera password</source>
            <translation>Mật khẩu camera</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="312" />
            <source>(unchanged)</source>
            <translation>(giữ nguyên)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="315" />
            <source>✔ The gateway holds this camera's credentials; leave the password empty to keep them.</source>
            <translation>✔ Gateway đang giữ thông tin đăng nhập của camera này; để trống ô mật khẩu để giữ nguyên.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="317" />
            <source>No credentials are held for this camera.</source>
            <translation>Chưa có thông tin đăng nhập cho camera này.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="357" />
            <source>Edit camera %1</source>
            <translation>Sửa camera %1</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="357" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
    </context>
    <context>
        <name>CameraDirectory</name>
        <message>
            <location filename="../../app/camera_directory.py" line="66" />
            <source>Refreshing the camera list</source>
            <translation>Đang cập nhật danh sách camera</translation>
        </message>
    </context>
    <context>
        <name>CameraImport</name>
        <message>
            <location filename="../../widgets/camera_import.py" line="61" />
            <source>required</source>
            <translation>bắt buộc</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="62" />
            <source>no ward of this name</source>
            <translation>không có phường nào tên này</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="63" />
            <source>not a number</source>
            <translation>không phải là số</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="64" />
            <source>must be host:port</source>
            <translation>phải có dạng host:cổng</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="65" />
            <source>the same external_id is on another line</source>
            <translation>external_id này đã có ở dòng khác</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="66" />
            <location filename="../../widgets/camera_import.py" line="67" />
            <source>out of range</source>
            <translation>nằm ngoài khoảng cho phép</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="69" />
            <source>no user name or password in the address (user:pass@)</source>
            <translation>không ghi tên đăng nhập hay mật khẩu trong địa chỉ (user:pass@)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="70" />
            <source>must start with rtsp://</source>
            <translation>phải bắt đầu bằng rtsp://</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="71" />
            <source>not an accepted value</source>
            <translation>giá trị không hợp lệ</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="77" />
            <source>refused: %1</source>
            <translation>bị từ chối: %1</translation>
        </message>
    </context>
    <context>
        <name>CameraImportDialog</name>
        <message>
            <location filename="../../widgets/camera_import.py" line="87" />
            <source>Import cameras from CSV</source>
            <translation>Nhập camera từ tệp CSV</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="93" />
            <source>Columns: %1. Cameras are matched by external_id: a known one is updated, a new one created.</source>
            <translation>Các cột: %1. Camera được đối chiếu theo external_id: camera đã có sẽ được cập nhật, camera mới sẽ được tạo.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="101" />
            <source>No file chosen</source>
            <translation>Chưa chọn tệp</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="102" />
            <source>Choose file…</source>
            <translation>Chọn tệp…</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="108" />
            <source>Gateway</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="109" />
            <source>(the only one)</source>
            <translation>(gateway duy nhất)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="113" />
            <source>Check (dry run)</source>
            <translation>Kiểm tra (chạy thử)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="123" />
            <source>Line</source>
            <translation>Dòng</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="123" />
            <source>Action</source>
            <translation>Thao tác</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="123" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="124" />
            <source>External id</source>
            <translation>Mã ngoài</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="124" />
            <source>Column</source>
            <translation>Cột</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="125" />
            <source>Error</source>
            <translation>Lỗi</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="134" />
            <source>Import</source>
            <translation>Nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="138" />
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="145" />
            <source>Choose a CSV file</source>
            <translation>Chọn tệp CSV</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="146" />
            <source>CSV files (*.csv)</source>
            <translation>Tệp CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="160" />
            <source>The file cannot be read: %1</source>
            <translation>Không đọc được tệp: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="163" />
            <source>The file is larger than 2 MB: split it.</source>
            <translation>Tệp lớn hơn 2 MB: hãy chia nhỏ.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="206" />
            <source>Imported: %1 created, %2 updated, %3 unchanged.</source>
            <translation>Đã nhập: tạo mới %1, cập nhật %2, không đổi %3.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="236" />
            <source>%1 error(s): correct the file and check it again; nothing is imported while a row has an error.</source>
            <translation>%1 lỗi: hãy sửa tệp rồi kiểm tra lại; không nhập gì khi còn dòng bị lỗi.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_import.py" line="241" />
            <source>Ready to import: %1 to create, %2 to update, %3 unchanged.</source>
            <translation>Sẵn sàng nhập: tạo mới %1, cập nhật %2, không đổi %3.</translation>
        </message>
    </context>
    <context>
        <name>CameraTree</name>
        <message>
            <location filename="../../widgets/camera_tree.py" line="76" />
            <source>Search cameras…</source>
            <translation>Tìm camera…</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_tree.py" line="98" />
            <source>Smart-city cameras</source>
            <translation>Camera đô thị thông minh</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_tree.py" line="99" />
            <source>Public cameras</source>
            <translation>Camera công cộng</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_tree.py" line="100" />
            <source>Traffic cameras</source>
            <translation>Camera giao thông</translation>
        </message>
    </context>
    <context>
        <name>CameraWizard</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="503" />
            <source>Add a camera</source>
            <translation>Thêm camera</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="505" />
            <source>Next &gt;</source>
            <translation>Tiếp &gt;</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="506" />
            <source>&lt; Back</source>
            <translation>&lt; Quay lại</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="507" />
            <source>Finish</source>
            <translation>Hoàn tất</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="508" />
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
    </context>
    <context>
        <name>CaseService</name>
        <message>
            <location filename="../../app/cases.py" line="203" />
            <source>Cases</source>
            <translation>Vụ việc</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="253" />
            <source>%1 violation cases are overdue</source>
            <translation>%1 vụ việc vi phạm đã quá hạn</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="259" />
            <source>Violation case #%1 (%2) is overdue: due %3 (UTC+7)</source>
            <translation>Vụ việc vi phạm #%1 (%2) đã quá hạn: hạn %3 (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="264" />
            <source>Case</source>
            <translation>Vụ việc</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="283" />
            <source>Open case</source>
            <translation>Mở vụ việc</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="287" />
            <source>Add evidence</source>
            <translation>Bổ sung chứng cứ</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="291" />
            <source>Case step</source>
            <translation>Bước xử lý vụ việc</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="297" />
            <source>Edit case</source>
            <translation>Sửa vụ việc</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="301" />
            <source>Approve reclassification</source>
            <translation>Phê duyệt phân loại lại</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="315" />
            <source>Violation case: %1</source>
            <translation>Vụ việc vi phạm: %1</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="325" />
            <source>Evidence package</source>
            <translation>Gói chứng cứ</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="331" />
            <source>Evidence package of case #%1 saved to %2 (SHA-256 %3)</source>
            <translation>Đã lưu gói chứng cứ của vụ việc #%1 vào %2 (SHA-256 %3)</translation>
        </message>
        <message>
            <location filename="../../app/cases.py" line="339" />
            <source>Bookmarks and clips</source>
            <translation>Đánh dấu và clip</translation>
        </message>
    </context>
    <context>
        <name>CaseTexts</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="61" />
            <source>Case opened</source>
            <translation>Đã mở vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="62" />
            <source>Evidence clip added</source>
            <translation>Đã bổ sung đoạn trích làm chứng cứ</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="63" />
            <location filename="../../widgets/case_dialogs.py" line="121" />
            <source>Sent to city police</source>
            <translation>Đã chuyển Công an thành phố</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="64" />
            <location filename="../../widgets/case_dialogs.py" line="122" />
            <source>Verification concluded</source>
            <translation>Đã kết luận xác minh</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="65" />
            <location filename="../../widgets/case_dialogs.py" line="123" />
            <source>Conclusion reported to the IOC</source>
            <translation>Đã báo cáo kết luận về Trung tâm IOC</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="66" />
            <location filename="../../widgets/case_dialogs.py" line="113" />
            <location filename="../../widgets/case_dialogs.py" line="125" />
            <source>Violator identified</source>
            <translation>Đã xác định người vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="67" />
            <location filename="../../widgets/case_dialogs.py" line="126" />
            <source>Record of violation made</source>
            <translation>Đã lập biên bản vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="68" />
            <location filename="../../widgets/case_dialogs.py" line="116" />
            <location filename="../../widgets/case_dialogs.py" line="127" />
            <source>Record handed over</source>
            <translation>Đã chuyển biên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="69" />
            <location filename="../../widgets/case_dialogs.py" line="117" />
            <source>Penalty decided</source>
            <translation>Đã ra quyết định xử phạt</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="70" />
            <source>Case closed</source>
            <translation>Đã kết thúc vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="71" />
            <source>Made public</source>
            <translation>Đã công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="72" />
            <source>Record edited</source>
            <translation>Đã sửa hồ sơ</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="73" />
            <source>Reclassification approved</source>
            <translation>Đã phê duyệt phân loại lại</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="74" />
            <source>Withdrawn from the public</source>
            <translation>Đã thôi công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="85" />
            <source>Red light</source>
            <translation>Vượt đèn đỏ</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="86" />
            <source>Wrong lane</source>
            <translation>Đi sai làn đường</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="87" />
            <source>Stopping / parking</source>
            <translation>Dừng, đỗ xe sai quy định</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="88" />
            <source>Other traffic violation</source>
            <translation>Vi phạm giao thông khác</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="89" />
            <source>Public order</source>
            <translation>Trật tự công cộng</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="90" />
            <source>Other</source>
            <translation>Khác</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="93" />
            <source>opened</source>
            <translation>đã mở</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="94" />
            <source>sent to police</source>
            <translation>đã chuyển Công an</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="95" />
            <source>verified</source>
            <translation>đã xác minh</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="96" />
            <source>conclusion reported</source>
            <translation>đã báo cáo kết luận</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="98" />
            <source>record made</source>
            <translation>đã lập biên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="99" />
            <source>decided</source>
            <translation>đã ra quyết định</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="100" />
            <source>closed</source>
            <translation>đã kết thúc</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="103" />
            <source>due</source>
            <translation>còn hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="104" />
            <source>due soon</source>
            <translation>sắp đến hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="105" />
            <source>overdue</source>
            <translation>quá hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="106" />
            <source>done</source>
            <translation>đã xong</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="107" />
            <source>done late</source>
            <translation>xong nhưng trễ hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="110" />
            <source>Send to police</source>
            <translation>Chuyển Công an</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="111" />
            <source>Verified</source>
            <translation>Đã xác minh</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="112" />
            <source>Report conclusion</source>
            <translation>Báo cáo kết luận</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="115" />
            <source>Record made</source>
            <translation>Đã lập biên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="118" />
            <source>Close</source>
            <translation>Kết thúc</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="128" />
            <source>Penalty decision</source>
            <translation>Quyết định xử phạt</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="129" />
            <source>Closed</source>
            <translation>Kết thúc vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="132" />
            <source>Send to city police (5 working days)</source>
            <translation>Chuyển Công an thành phố (5 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="134" />
            <source>Verify (1 month, 2 if complex)</source>
            <translation>Xác minh (1 tháng, phức tạp 2 tháng)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="135" />
            <source>Report the conclusion (5 working days)</source>
            <translation>Báo cáo kết luận (5 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="137" />
            <source>Record of violation (3 working days)</source>
            <translation>Lập biên bản vi phạm (3 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="138" />
            <source>Hand the record over (24 hours)</source>
            <translation>Chuyển biên bản (24 giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="139" />
            <source>Decision (7 working days)</source>
            <translation>Ra quyết định (7 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="140" />
            <source>Decision, transferred (10 working days)</source>
            <translation>Ra quyết định, chuyển hồ sơ (10 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="142" />
            <source>Decision, explanation requested (1 month)</source>
            <translation>Ra quyết định, có giải trình (1 tháng)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="144" />
            <source>Decision, especially complex (2 months)</source>
            <translation>Ra quyết định, đặc biệt phức tạp (2 tháng)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="148" />
            <source>Simple (7 working days)</source>
            <translation>Đơn giản (7 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="149" />
            <source>Transferred (10 working days)</source>
            <translation>Chuyển hồ sơ (10 ngày làm việc)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="151" />
            <source>Explanation or verification (1 month)</source>
            <translation>Giải trình hoặc xác minh (1 tháng)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="153" />
            <source>Especially complex (2 months)</source>
            <translation>Đặc biệt phức tạp (2 tháng)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="158" />
            <source>applied</source>
            <translation>đã áp dụng</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="159" />
            <source>waiting for a leader's approval; deadlines unchanged</source>
            <translation>chờ lãnh đạo phê duyệt; thời hạn chưa thay đổi</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="161" />
            <source>approved</source>
            <translation>đã phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="162" />
            <source>superseded</source>
            <translation>đã bị thay thế</translation>
        </message>
    </context>
    <context>
        <name>CasesPanel</name>
        <message>
            <location filename="../../widgets/cases_panel.py" line="117" />
            <source>All states</source>
            <translation>Mọi trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="121" />
            <source>All violations</source>
            <translation>Mọi hành vi vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="125" />
            <location filename="../../widgets/cases_panel.py" line="197" />
            <source>All wards</source>
            <translation>Mọi phường</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="127" />
            <source>Any deadline</source>
            <translation>Mọi thời hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="77" />
            <location filename="../../widgets/cases_panel.py" line="130" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="76" />
            <location filename="../../widgets/cases_panel.py" line="131" />
            <source>Violation</source>
            <translation>Hành vi vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="75" />
            <location filename="../../widgets/cases_panel.py" line="132" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="73" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="74" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="78" />
            <source>Detected (UTC+7)</source>
            <translation>Phát hiện (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="79" />
            <source>Next deadline (UTC+7)</source>
            <translation>Hạn gần nhất (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="80" />
            <location filename="../../widgets/cases_panel.py" line="133" />
            <source>Deadline</source>
            <translation>Thời hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="137" />
            <source>Open case…</source>
            <translation>Mở vụ việc…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="139" />
            <source>Add evidence clip…</source>
            <translation>Bổ sung đoạn trích làm chứng cứ…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="143" />
            <source>Propose for publication…</source>
            <translation>Đề xuất công bố…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="147" />
            <source>Export evidence package…</source>
            <translation>Xuất gói chứng cứ…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="151" />
            <source>Edit / reclassify…</source>
            <translation>Sửa / phân loại lại…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="154" />
            <source>Approve reclassification…</source>
            <translation>Phê duyệt phân loại lại…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="256" />
            <source>done %1</source>
            <translation>xong %1</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="269" />
            <source>clip #%1</source>
            <translation>đoạn trích #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="296" />
            <source>%1 (UTC+7): %2, by %3</source>
            <translation>%1 (UTC+7): %2, người thực hiện: %3</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="299" />
            <source>%1 (UTC+7): %2</source>
            <translation>%1 (UTC+7): %2</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="301" />
            <source> (recorded %1 UTC+7)</source>
            <translation>(ghi nhận lúc %1 UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="309" />
            <source>declared by %1</source>
            <translation>khai báo bởi %1</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="316" />
            <source>Version %1, %2 (UTC+7), %3: %4 → %5 — %6 [%7]</source>
            <translation>Phiên bản %1, %2 (UTC+7), %3: %4 → %5 — %6 [%7]</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="323" />
            <source>approved by %1 at %2: %3</source>
            <translation>được %1 phê duyệt lúc %2: %3</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="335" />
            <source>Loading bookmarks and clip requests…</source>
            <translation>Đang tải đánh dấu và yêu cầu trích xuất…</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="372" />
            <source>Give the public a title (at least 3 characters).</source>
            <translation>Nhập tiêu đề công khai (ít nhất 3 ký tự).</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="385" />
            <source>Proposed for publication: it is blurred, then reviewed and approved in the Publications panel.</source>
            <translation>Đã đề xuất công bố: clip được làm mờ, sau đó được kiểm tra và phê duyệt trong bảng Công bố.</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="431" />
            <source>Choose a bookmark or a clip request.</source>
            <translation>Hãy chọn một đánh dấu hoặc một yêu cầu trích xuất.</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="464" />
            <source>Nothing has changed.</source>
            <translation>Không có gì thay đổi.</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="467" />
            <source>Give the reason for the change (at least 3 characters).</source>
            <translation>Hãy nêu lý do thay đổi (ít nhất 3 ký tự).</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="489" />
            <source>Give the reason for the approval (at least 3 characters).</source>
            <translation>Hãy nêu lý do phê duyệt (ít nhất 3 ký tự).</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="506" />
            <source>Case #%1: %2</source>
            <translation>Vụ việc #%1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/cases_panel.py" line="536" />
            <source>Evidence package saved: %1</source>
            <translation>Đã lưu gói chứng cứ: %1</translation>
        </message>
    </context>
    <context>
        <name>CatalogueTab</name>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="46" />
            <source>The shareable-data catalogue (Art. 14): the public app shows only the traffic cameras and the kinds of traffic violation ticked here. A camera unticked leaves the public at once.</source>
            <translation>Danh mục dữ liệu được chia sẻ (Điều 14): ứng dụng công khai chỉ hiển thị các camera giao thông và các loại vi phạm giao thông được đánh dấu ở đây. Camera bỏ đánh dấu sẽ bị gỡ khỏi công khai ngay.</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="54" />
            <source>Traffic cameras the public may see</source>
            <translation>Camera giao thông người dân được xem</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="59" />
            <source>Violations whose media may be published</source>
            <translation>Loại vi phạm được công bố hình ảnh</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="74" />
            <source>Save the catalogue</source>
            <translation>Lưu danh mục</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="82" />
            <source>Loading…</source>
            <translation>Đang tải…</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_catalogue.py" line="122" />
            <source>Saved: %1 camera(s), %2 kind(s) of violation.</source>
            <translation>Đã lưu: %1 camera, %2 loại vi phạm.</translation>
        </message>
    </context>
    <context>
        <name>ClipPlayerWidget</name>
        <message>
            <location filename="../../widgets/clip_player.py" line="32" />
            <source>No clip open</source>
            <translation>Chưa mở đoạn video nào</translation>
        </message>
        <message>
            <location filename="../../widgets/clip_player.py" line="41" />
            <location filename="../../widgets/clip_player.py" line="110" />
            <source>Play</source>
            <translation>Phát</translation>
        </message>
        <message>
            <location filename="../../widgets/clip_player.py" line="67" />
            <source>request #%1</source>
            <translation>yêu cầu số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/clip_player.py" line="110" />
            <source>Pause</source>
            <translation>Tạm dừng</translation>
        </message>
    </context>
    <context>
        <name>ClipRequestDialog</name>
        <message>
            <location filename="../../widgets/requests_panel.py" line="67" />
            <source>Request a clip</source>
            <translation>Yêu cầu trích xuất đoạn video</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="79" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="85" />
            <source>From (UTC+7)</source>
            <translation>Từ (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="86" />
            <source>To (UTC+7)</source>
            <translation>Đến (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="88" />
            <source>Content and purpose of the request</source>
            <translation>Nội dung và mục đích yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="92" />
            <source>Purpose</source>
            <translation>Mục đích</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="103" />
            <source>I commit to use the clip only for the stated purpose</source>
            <translation>Tôi cam kết chỉ sử dụng đoạn video cho mục đích đã nêu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="104" />
            <source>The official request letter (PDF)</source>
            <translation>Công văn đề nghị (PDF)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="105" />
            <source>Commitment *</source>
            <translation>Cam kết *</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="106" />
            <source>Official letter (PDF) *</source>
            <translation>Công văn (PDF) *</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="107" />
            <source>Requests of other agencies are decided by the operating unit on the official letter.</source>
            <translation>Yêu cầu của cơ quan khác do đơn vị vận hành xem xét, quyết định theo công văn.</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="113" />
            <source>Other agencies: commitment to use it for this purpose only</source>
            <translation>Cơ quan khác: cam kết chỉ sử dụng đúng mục đích đã nêu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="115" />
            <source>Commitment</source>
            <translation>Cam kết</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="143" />
            <source>Choose a camera.</source>
            <translation>Hãy chọn một camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="145" />
            <source>State the content and purpose of the request.</source>
            <translation>Hãy nêu nội dung và mục đích của yêu cầu.</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="147" />
            <source>Other agencies must commit to use the clip only for the stated purpose.</source>
            <translation>Cơ quan khác phải cam kết chỉ sử dụng đoạn video cho mục đích đã nêu.</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="114" />
            <source>Other agencies: official letter (PDF)</source>
            <translation>Cơ quan khác: công văn đề nghị (PDF)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="96" />
            <source>Choose…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="116" />
            <source>Letter</source>
            <translation>Công văn</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="120" />
            <source>Send request</source>
            <translation>Gửi yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="123" />
            <source>Official letter</source>
            <translation>Công văn</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="123" />
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>ClipService</name>
        <message>
            <location filename="../../app/clips.py" line="83" />
            <source>Attach the official request letter (a PDF file).</source>
            <translation>Hãy đính kèm công văn đề nghị (tệp PDF).</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="86" />
            <source>Cannot read the letter %1: %2</source>
            <translation>Không đọc được công văn %1: %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="89" />
            <source>The letter must be a PDF file; %1 is not a PDF.</source>
            <translation>Công văn phải là tệp PDF; %1 không phải tệp PDF.</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="91" />
            <source>The letter may be at most %1 MB; %2 is larger.</source>
            <translation>Công văn tối đa %1 MB; %2 lớn hơn mức này.</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="187" />
            <source>signature invalid: cannot read the manifest (%1)</source>
            <translation>chữ ký không hợp lệ: không đọc được tệp mô tả (%1)</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="191" />
            <source>signature invalid: unreadable manifest (%1)</source>
            <translation>chữ ký không hợp lệ: tệp mô tả không đọc được (%1)</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="195" />
            <source>signature invalid: the manifest was changed or not signed by this server's key</source>
            <translation>chữ ký không hợp lệ: tệp mô tả đã bị sửa đổi hoặc không được ký bằng khóa của máy chủ này</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="199" />
            <source>altered: cannot read the clip (%1)</source>
            <translation>đã bị sửa đổi: không đọc được đoạn video (%1)</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="203" />
            <source>altered: SHA-256 of the clip is %1, the signed manifest says %2</source>
            <translation>đã bị sửa đổi: SHA-256 của đoạn video là %1, tệp mô tả đã ký ghi %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="207" />
            <source>intact: SHA-256 %1 matches the manifest signed by key %2</source>
            <translation>nguyên vẹn: SHA-256 %1 khớp với tệp mô tả được ký bằng khóa %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="334" />
            <source>Evidence clip #%1 (%2) received with a violation case</source>
            <translation>Đã nhận clip chứng cứ #%1 (%2) kèm hồ sơ vụ việc vi phạm</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="341" />
            <source>Clip request #%1 (%2, %3) awaits your action</source>
            <translation>Yêu cầu trích xuất số %1 (%2, %3) đang chờ đồng chí xử lý</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="350" />
            <source>Clip #%1 (%2) is ready to download</source>
            <translation>Đoạn video số %1 (%2) đã sẵn sàng để tải về</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="354" />
            <source>Clip request #%1 was rejected: %2</source>
            <translation>Yêu cầu trích xuất số %1 bị từ chối: %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="358" />
            <source>Clip #%1 could not be extracted: %2</source>
            <translation>Không trích xuất được đoạn video số %1: %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="395" />
            <source>Clip request: %1</source>
            <translation>Yêu cầu trích xuất: %1</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="410" />
            <source>the server's letter is not a PDF file</source>
            <translation>công văn máy chủ gửi về không phải tệp PDF</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="450" />
            <source>Clip #%1 saved to %2: %3</source>
            <translation>Đã lưu đoạn video số %1 vào %2: %3</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="459" />
            <source>Clip #%1: download cancelled</source>
            <translation>Đoạn video số %1: đã hủy tải về</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="465" />
            <source>Clip #%1: download failed: %2</source>
            <translation>Đoạn video số %1: tải về thất bại: %2</translation>
        </message>
        <message>
            <location filename="../../app/clips.py" line="480" />
            <source>Clip verification: %1</source>
            <translation>Kiểm tra đoạn video: %1</translation>
        </message>
    </context>
    <context>
        <name>DetailsPage</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="403" />
            <source>Place</source>
            <translation>Vị trí</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="404" />
            <source>Say where the camera stands; Save adds it to the site.</source>
            <translation>Cho biết camera đặt ở đâu; Lưu sẽ thêm camera vào hệ thống.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="406" />
            <location filename="../../widgets/camera_wizard.py" line="457" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="443" />
            <source>Saving…</source>
            <translation>Đang lưu…</translation>
        </message>
    </context>
    <context>
        <name>DutyService</name>
        <message>
            <location filename="../../app/duty.py" line="106" />
            <source>Handovers</source>
            <translation>Biên bản giao ca</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="127" />
            <source>Who is on duty</source>
            <translation>Ca trực hiện tại</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="154" />
            <source>Write handover</source>
            <translation>Viết biên bản giao ca</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="158" />
            <source>Acknowledge handover</source>
            <translation>Xác nhận nhận ca</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="169" />
            <source>Handover saved</source>
            <translation>Đã lưu biên bản giao ca</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="173" />
            <source>Handover: %1</source>
            <translation>Giao ca: %1</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="179" />
            <source>Duty roster</source>
            <translation>Lịch trực</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="186" />
            <source>Duty people</source>
            <translation>Danh sách cán bộ trực</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="193" />
            <source>Assign duty</source>
            <translation>Phân công trực</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="200" />
            <source>Duty roster saved: %1, %2</source>
            <translation>Đã lưu lịch trực: %1, ngày %2</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="210" />
            <source>The server cannot be reached; try again.</source>
            <translation>Không kết nối được máy chủ; vui lòng thử lại.</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="212" />
            <source>Only administrators and leaders of the operating unit keep the duty roster.</source>
            <translation>Chỉ quản trị viên và lãnh đạo của đơn vị vận hành được phân công lịch trực.</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="216" />
            <source>This shift has ended: who was on duty is kept as a record and cannot be changed.</source>
            <translation>Ca trực này đã kết thúc: danh sách người trực được lưu làm hồ sơ, không thể thay đổi.</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="219" />
            <source>Only active people of the operating unit can be put on a shift (at most 20).</source>
            <translation>Chỉ phân công được cán bộ đang hoạt động của đơn vị vận hành (tối đa 20 người một ca).</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="222" />
            <source>The days asked for are not a span the roster is read in (the first before the last, at most 62 days).</source>
            <translation>Khoảng ngày yêu cầu không hợp lệ (ngày đầu phải trước ngày cuối, tối đa 62 ngày).</translation>
        </message>
        <message>
            <location filename="../../app/duty.py" line="230" />
            <source>Duty roster: %1</source>
            <translation>Lịch trực: %1</translation>
        </message>
    </context>
    <context>
        <name>EditCaseDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="413" />
            <source>Edit case #%1</source>
            <translation>Sửa vụ việc #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="419" />
            <source>Violation</source>
            <translation>Hành vi vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="420" />
            <source>Complex: verification takes 2 months</source>
            <translation>Phức tạp: xác minh trong 2 tháng</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="428" />
            <source>Decision period</source>
            <translation>Thời hạn ra quyết định</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="430" />
            <source>The record must be handed to another authority (24 hours)</source>
            <translation>Biên bản phải chuyển cho cơ quan có thẩm quyền khác (24 giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="435" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="438" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="439" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
    </context>
    <context>
        <name>EvidencePanels</name>
        <message>
            <location filename="../../widgets/panels.py" line="74" />
            <location filename="../../widgets/panels.py" line="91" />
            <source>Bookmarks</source>
            <translation>Đánh dấu</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="77" />
            <location filename="../../widgets/panels.py" line="93" />
            <location filename="../../widgets/panels.py" line="117" />
            <source>Requests</source>
            <translation>Yêu cầu trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="80" />
            <source>Clip player</source>
            <translation>Trình phát đoạn video</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="89" />
            <source>&amp;Evidence</source>
            <translation>&amp;Chứng cứ</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="99" />
            <source>New clip request…</source>
            <translation>Yêu cầu trích xuất mới…</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="100" />
            <source>Verify clip file…</source>
            <translation>Kiểm tra tệp đoạn video…</translation>
        </message>
        <message>
            <location filename="../../widgets/panels.py" line="101" />
            <source>Refresh requests</source>
            <translation>Làm mới danh sách yêu cầu</translation>
        </message>
    </context>
    <context>
        <name>ExportPurpose</name>
        <message>
            <location filename="../../widgets/export_purpose.py" line="19" />
            <source>Purpose of the export (required, kept in the audit log)</source>
            <translation>Mục đích xuất dữ liệu (bắt buộc, được ghi vào nhật ký)</translation>
        </message>
        <message>
            <location filename="../../widgets/export_purpose.py" line="30" />
            <source>Say what the export is for first: the audit log keeps it.</source>
            <translation>Hãy nhập mục đích xuất dữ liệu trước: nhật ký sẽ ghi lại.</translation>
        </message>
    </context>
    <context>
        <name>FaultReportDialog</name>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="148" />
            <source>Report a fault: %1</source>
            <translation>Báo lỗi camera: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="156" />
            <source>Fault</source>
            <translation>Lỗi</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="158" />
            <source>What do you see? (optional)</source>
            <translation>Anh/chị thấy gì? (không bắt buộc)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="160" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="163" />
            <source>Attach the tile's picture</source>
            <translation>Đính kèm hình của ô</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="170" />
            <source>No picture to attach</source>
            <translation>Không có hình để đính kèm</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="174" />
            <source>Report</source>
            <translation>Báo lỗi</translation>
        </message>
    </context>
    <context>
        <name>FingerprintDialog</name>
        <message>
            <location filename="../../widgets/fingerprint_dialog.py" line="36" />
            <source>New server — check its certificate</source>
            <translation>Máy chủ mới — kiểm tra chứng chỉ</translation>
        </message>
        <message>
            <location filename="../../widgets/fingerprint_dialog.py" line="38" />
            <source>This computer has not met the server at %1 before. Before your password is sent, compare the fingerprint below with the one your administrator reads out to you (python -m server tls-fingerprint on the server). Accept only if every group matches.</source>
            <translation>Máy tính này chưa từng kết nối tới máy chủ %1. Trước khi gửi mật khẩu, hãy so sánh dấu vân tay dưới đây với dấu vân tay do quản trị viên đọc cho bạn (lệnh python -m server tls-fingerprint trên máy chủ). Chỉ chấp nhận khi mọi nhóm ký tự đều trùng khớp.</translation>
        </message>
        <message>
            <location filename="../../widgets/fingerprint_dialog.py" line="49" />
            <source>They match: trust this server</source>
            <translation>Trùng khớp: tin cậy máy chủ này</translation>
        </message>
        <message>
            <location filename="../../widgets/fingerprint_dialog.py" line="52" />
            <source>They differ: do not connect</source>
            <translation>Không khớp: không kết nối</translation>
        </message>
    </context>
    <context>
        <name>GatewayDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="383" />
            <source>New gateway</source>
            <translation>Gateway mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="383" />
            <source>Edit gateway</source>
            <translation>Sửa gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="384" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="388" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="390" />
            <source>where viewers reach it, e.g. 10.0.0.2</source>
            <translation>nơi người xem kết nối tới, ví dụ 10.0.0.2</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="391" />
            <source>RTSP host</source>
            <translation>Máy RTSP</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="393" />
            <source>RTSP port</source>
            <translation>Cổng RTSP</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="396" />
            <source>none: its cameras get no PTZ</source>
            <translation>để trống: camera của nó không điều khiển PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="397" />
            <source>PTZ port</source>
            <translation>Cổng PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="400" />
            <source>Control address</source>
            <translation>Địa chỉ điều khiển</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="404" />
            <source>at least %1 characters</source>
            <translation>ít nhất %1 ký tự</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="405" />
            <source>unchanged unless typed</source>
            <translation>giữ nguyên nếu không nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="406" />
            <source>Control secret</source>
            <translation>Mã bí mật điều khiển</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="407" />
            <source>Active</source>
            <translation>Đang hoạt động</translation>
        </message>
    </context>
    <context>
        <name>GrantDialog</name>
        <message>
            <location filename="../../widgets/access_panel.py" line="174" />
            <source>Grant access request #%1</source>
            <translation>Cấp quyền theo yêu cầu truy cập số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="176" />
            <source>%1 asks for these cameras; uncheck those not granted.</source>
            <translation>%1 đề nghị các camera sau; bỏ chọn camera không cấp quyền.</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="180" />
            <source>Camera #%1</source>
            <translation>Camera số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="185" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="193" />
            <source>From (UTC+7)</source>
            <translation>Từ (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="194" />
            <source>Until (UTC+7)</source>
            <translation>Đến (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/access_panel.py" line="195" />
            <source>Grant</source>
            <translation>Cấp quyền</translation>
        </message>
    </context>
    <context>
        <name>GridEditor</name>
        <message>
            <location filename="../../widgets/grid_editor.py" line="172" />
            <source>Custom grid</source>
            <translation>Lưới tùy chọn</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="185" />
            <source>Split</source>
            <translation>Tách ô</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="186" />
            <source>Split the selected merged cell into single cells</source>
            <translation>Tách ô đã gộp đang chọn thành các ô đơn</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="187" />
            <source>Reset</source>
            <translation>Đặt lại</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="188" />
            <source>Make every cell single again</source>
            <translation>Đưa mọi ô về ô đơn</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="197" />
            <source>Rows:</source>
            <translation>Số hàng:</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="198" />
            <source>Columns:</source>
            <translation>Số cột:</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="264" />
            <source>The selection was extended to include the merged cells it cut through: merged cells cannot be cut.</source>
            <translation>Vùng chọn đã được mở rộng để bao trọn các ô đã gộp mà nó cắt qua: không thể cắt ngang một ô đã gộp.</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="267" />
            <source>Merged into one cell of %1 rows × %2 columns.</source>
            <translation>Đã gộp thành một ô gồm %1 hàng × %2 cột.</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="276" />
            <source>Select a merged cell first (click it), then Split.</source>
            <translation>Hãy chọn một ô đã gộp trước (bấm vào ô đó), rồi bấm Tách ô.</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="279" />
            <source>Split into single cells.</source>
            <translation>Đã tách thành các ô đơn.</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="305" />
            <source>Camera #%1</source>
            <translation>Camera #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="309" />
            <source>%1 tiles</source>
            <translation>%1 ô</translation>
        </message>
        <message>
            <location filename="../../widgets/grid_editor.py" line="313" />
            <source>Drag across cells to merge them into one; click a merged cell and press Split to undo it.</source>
            <translation>Kéo chuột qua các ô để gộp thành một ô; bấm vào một ô đã gộp rồi bấm Tách ô để bỏ gộp.</translation>
        </message>
    </context>
    <context>
        <name>HandoverPanel</name>
        <message>
            <location filename="../../widgets/handover_panel.py" line="31" />
            <source>open</source>
            <translation>đang mở</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="32" />
            <source>acknowledged</source>
            <translation>đã tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="33" />
            <source>due soon</source>
            <translation>sắp đến hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="34" />
            <source>overdue</source>
            <translation>quá hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="35" />
            <source>requested</source>
            <translation>đã yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="36" />
            <source>endorsed</source>
            <translation>đã đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="37" />
            <source>approved</source>
            <translation>đã phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="38" />
            <source>extracting</source>
            <translation>đang trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="49" />
            <source>Shift</source>
            <translation>Ca trực</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="50" />
            <source>Day</source>
            <translation>Ngày</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="51" />
            <source>Written by</source>
            <translation>Người giao ca</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="52" />
            <source>Written (UTC+7)</source>
            <translation>Lập lúc (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="53" />
            <source>Acknowledged by</source>
            <translation>Người nhận ca</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="54" />
            <source>Acknowledged (UTC+7)</source>
            <translation>Nhận ca lúc (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="71" />
            <source>Write handover note…</source>
            <translation>Viết biên bản giao ca…</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="74" />
            <source>Acknowledge handover</source>
            <translation>Xác nhận nhận ca</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="77" />
            <source>Duty roster…</source>
            <translation>Lịch trực…</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="79" />
            <source>Refresh</source>
            <translation>Làm mới</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="85" />
            <source>Handover note</source>
            <translation>Biên bản giao ca</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="85" />
            <source>Note</source>
            <translation>Nội dung</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="86" />
            <source>What the next shift must know</source>
            <translation>Những việc ca sau cần biết</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="87" />
            <source>Write</source>
            <translation>Lập biên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="88" />
            <source>Open incidents, cases near their deadlines and pending requests are listed by the server.</source>
            <translation>Sự cố đang mở, vụ việc sắp hoặc đã quá hạn và các yêu cầu đang chờ do máy chủ tự liệt kê.</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="112" />
            <source>Open incidents</source>
            <translation>Sự cố đang mở</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="113" />
            <source>Cases near or past their deadline</source>
            <translation>Vụ việc sắp đến hạn hoặc quá hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="114" />
            <source>Clip requests waiting</source>
            <translation>Yêu cầu trích xuất đang chờ</translation>
        </message>
        <message>
            <location filename="../../widgets/handover_panel.py" line="115" />
            <source>Access requests waiting</source>
            <translation>Đề nghị truy cập đang chờ</translation>
        </message>
    </context>
    <context>
        <name>IncidentKinds</name>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="90" />
            <source>Offline / no picture</source>
            <translation>Mất kết nối / không có hình</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="91" />
            <source>View obstructed</source>
            <translation>Bị che khuất</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="92" />
            <source>Too dark</source>
            <translation>Quá tối</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="93" />
            <source>PTZ broken</source>
            <translation>Hỏng PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="109" />
            <source>Other</source>
            <translation>Khác</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="135" />
            <source>%1 min</source>
            <translation>%1 phút</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="136" />
            <source>%1 h %2 min</source>
            <translation>%1 giờ %2 phút</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="94" />
            <source>Clock off</source>
            <translation>Lệch đồng hồ</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="95" />
            <source>Gateway down</source>
            <translation>Cổng media ngừng hoạt động</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="96" />
            <source>Stream lost</source>
            <translation>Mất luồng video</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="97" />
            <source>Recording stopped</source>
            <translation>Ngừng ghi hình</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="99" />
            <source>Disk full</source>
            <translation>Đầy ổ đĩa</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="100" />
            <source>Storage failure</source>
            <translation>Lỗi lưu trữ</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="102" />
            <source>Database unreachable</source>
            <translation>Mất kết nối cơ sở dữ liệu</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="104" />
            <source>Process restarted</source>
            <translation>Tiến trình khởi động lại</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="106" />
            <source>Software error</source>
            <translation>Lỗi phần mềm</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="108" />
            <source>Network down</source>
            <translation>Mất kết nối mạng</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="116" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="117" />
            <source>Server</source>
            <translation>Máy chủ</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="118" />
            <source>Software</source>
            <translation>Phần mềm</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="119" />
            <source>Storage</source>
            <translation>Lưu trữ</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="120" />
            <source>Network</source>
            <translation>Mạng</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="126" />
            <source>System</source>
            <translation>Hệ thống</translation>
        </message>
    </context>
    <context>
        <name>IncidentService</name>
        <message>
            <location filename="../../app/incidents.py" line="129" />
            <source>Incidents</source>
            <translation>Sự cố</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="172" />
            <source>New incident #%1: %2 — %3</source>
            <translation>Sự cố mới #%1: %2 — %3</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="184" />
            <location filename="../../app/incidents.py" line="211" />
            <source>Fault report</source>
            <translation>Báo sự cố</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="224" />
            <source>Fault reported: incident #%1 (%2) opened</source>
            <translation>Đã báo sự cố: mở sự cố #%1 (%2)</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="227" />
            <source>Fault reported: added to open incident #%1 (%2)</source>
            <translation>Đã báo sự cố: gộp vào sự cố đang mở #%1 (%2)</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="236" />
            <source>Acknowledge incident</source>
            <translation>Tiếp nhận sự cố</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="240" />
            <source>Resolve incident</source>
            <translation>Khắc phục sự cố</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="254" />
            <source>Snapshot</source>
            <translation>Ảnh chụp</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="260" />
            <source>Incident: %1</source>
            <translation>Sự cố: %1</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="266" />
            <source>offline</source>
            <translation>mất kết nối</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="267" />
            <source>obstructed</source>
            <translation>bị che khuất</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="268" />
            <source>too dark</source>
            <translation>quá tối</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="269" />
            <source>PTZ broken</source>
            <translation>PTZ hỏng</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="270" />
            <source>clock off</source>
            <translation>lệch đồng hồ</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="271" />
            <source>gateway down</source>
            <translation>cổng media ngừng hoạt động</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="272" />
            <source>stream lost</source>
            <translation>mất luồng video</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="273" />
            <source>recording stopped</source>
            <translation>ngừng ghi hình</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="274" />
            <source>disk full</source>
            <translation>đầy ổ đĩa</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="275" />
            <source>storage failure</source>
            <translation>lỗi lưu trữ</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="276" />
            <source>database unreachable</source>
            <translation>mất kết nối cơ sở dữ liệu</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="277" />
            <source>process restarted</source>
            <translation>tiến trình khởi động lại</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="278" />
            <source>software error</source>
            <translation>lỗi phần mềm</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="279" />
            <source>network down</source>
            <translation>mất kết nối mạng</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="280" />
            <source>other</source>
            <translation>khác</translation>
        </message>
    </context>
    <context>
        <name>IncidentsPanel</name>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="311" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="314" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="315" />
            <source>Fault</source>
            <translation>Lỗi</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="316" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="317" />
            <source>Reported (UTC+7)</source>
            <translation>Báo lỗi lúc (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="319" />
            <source>Reports</source>
            <translation>Báo lỗi</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="320" />
            <source>To acknowledge</source>
            <translation>Thời gian tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="321" />
            <source>To resolve</source>
            <translation>Thời gian khắc phục</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="344" />
            <source>Open and acknowledged</source>
            <translation>Đang mở và đã tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="347" />
            <source>All</source>
            <translation>Tất cả</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="348" />
            <source>Show</source>
            <translation>Hiển thị</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="359" />
            <source>Acknowledge</source>
            <translation>Tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="362" />
            <source>Resolve…</source>
            <translation>Khắc phục…</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="368" />
            <source>Refresh</source>
            <translation>Làm mới</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="381" />
            <source>open</source>
            <translation>đang mở</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="382" />
            <source>acknowledged</source>
            <translation>đã tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="383" />
            <source>resolved</source>
            <translation>đã khắc phục</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="387" />
            <source>(automatic)</source>
            <translation>(tự động)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="410" />
            <source>Snapshot of report #%1 (%2, %3)</source>
            <translation>Ảnh chụp của báo lỗi #%1 (%2, %3)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="432" />
            <source>Reported</source>
            <translation>Báo lỗi lúc</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="433" />
            <location filename="../../widgets/incidents_panel.py" line="438" />
            <source>Acknowledged</source>
            <translation>Đã tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="435" />
            <source>Resolved</source>
            <translation>Đã khắc phục</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="440" />
            <source>after %1</source>
            <translation>sau %1</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="469" />
            <source>The snapshot cannot be shown</source>
            <translation>Không hiển thị được ảnh chụp</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="499" />
            <source>Incident #%1: %2</source>
            <translation>Sự cố #%1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="312" />
            <source>Category</source>
            <translation>Nhóm</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="313" />
            <source>Camera / subject</source>
            <translation>Camera / đối tượng</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="318" />
            <source>Reported by</source>
            <translation>Người báo</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="366" />
            <source>Report a fault…</source>
            <translation>Báo sự cố…</translation>
        </message>
    </context>
    <context>
        <name>LivePage</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="467" />
            <source>Saved: live picture</source>
            <translation>Đã lưu: hình ảnh trực tiếp</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="481" />
            <source>The camera %1 is saved; its gateway starts serving it within seconds. Its picture plays below, through the gateway.</source>
            <translation>Camera %1 đã được lưu; gateway sẽ bắt đầu phục vụ trong vài giây. Hình ảnh của camera phát bên dưới, qua gateway.</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <location filename="../../widgets/login_dialog.py" line="62" />
            <source>iocwall — Log in</source>
            <translation>iocwall — Đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="65" />
            <source>Smart City Monitoring and Operations Center — Đồng Hới</source>
            <translation>Trung tâm Giám sát, điều hành đô thị thông minh — Đồng Hới</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="76" />
            <source>Remember me on this computer</source>
            <translation>Ghi nhớ đăng nhập trên máy này</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="80" />
            <source>Server</source>
            <translation>Máy chủ</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="81" />
            <source>User name</source>
            <translation>Tên đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="82" />
            <source>Password</source>
            <translation>Mật khẩu</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="94" />
            <location filename="../../widgets/login_dialog.py" line="127" />
            <source>Log in</source>
            <translation>Đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="95" />
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="111" />
            <source>Enter the server address, your user name and password.</source>
            <translation>Nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="127" />
            <source>Logging in…</source>
            <translation>Đang đăng nhập…</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="151" />
            <source>Not connected: the server's certificate was not accepted. Nothing was sent to it.</source>
            <translation>Chưa kết nối: chứng chỉ của máy chủ không được chấp nhận. Không có dữ liệu nào được gửi đi.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="166" />
            <source>The server's certificate is not from the certificate authority this computer trusts for it. Someone may be intercepting the connection: nothing was sent. Call the IOC's administrator.</source>
            <translation>Chứng chỉ của máy chủ không do tổ chức cấp chứng chỉ mà máy tính này tin cậy cho máy chủ đó cấp. Có thể kết nối đang bị nghe lén: không có dữ liệu nào được gửi đi. Hãy gọi quản trị viên của Trung tâm IOC.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="170" />
            <source>The server did not prove its identity (its certificate authority is invalid). Nothing was sent. Call the IOC's administrator.</source>
            <translation>Máy chủ không chứng minh được danh tính (tổ chức cấp chứng chỉ không hợp lệ). Không có dữ liệu nào được gửi đi. Hãy gọi quản trị viên của Trung tâm IOC.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="174" />
            <source>Too many failed logins. Try again in %1 s, or call the IOC duty desk.</source>
            <translation>Đăng nhập sai quá nhiều lần. Hãy thử lại sau %1 giây, hoặc gọi trực ban IOC.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="177" />
            <source>Wrong user name or password.</source>
            <translation>Sai tên đăng nhập hoặc mật khẩu.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="179" />
            <source>Cannot reach the server at %1. Check the address and the network.</source>
            <translation>Không kết nối được máy chủ %1. Hãy kiểm tra địa chỉ và mạng.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="183" />
            <source>This iocwall is too old for the server (version %1): ask the administrator for the update.</source>
            <translation>Phần mềm iocwall này quá cũ so với máy chủ (phiên bản %1): hãy xin quản trị viên bản cập nhật.</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="186" />
            <source>The server rejected the request: %1</source>
            <translation>Máy chủ từ chối yêu cầu: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="188" />
            <source>Login failed: %1</source>
            <translation>Đăng nhập không thành công: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/login_dialog.py" line="190" />
            <source>Login failed because of an internal error (%1).</source>
            <translation>Đăng nhập không thành công do lỗi nội bộ (%1).</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../widgets/main_window.py" line="108" />
            <source>iocwall — Đồng Hới IOC video wall</source>
            <translation>iocwall — Màn hình giám sát IOC Đồng Hới</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="127" />
            <source>Cameras</source>
            <translation>Danh sách camera</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="135" />
            <source>Messages</source>
            <translation>Thông báo</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="147" />
            <location filename="../../widgets/main_window.py" line="202" />
            <source>PTZ control</source>
            <translation>Điều khiển PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="177" />
            <source>&amp;System</source>
            <translation>&amp;Hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="178" />
            <source>Reload camera list</source>
            <translation>Tải lại danh sách camera</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="180" />
            <source>Log out</source>
            <translation>Đăng xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="182" />
            <source>Quit</source>
            <translation>Thoát</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="189" />
            <source>&amp;View</source>
            <translation>&amp;Xem</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="190" />
            <source>Wall template</source>
            <translation>Kiểu bố trí màn hình</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="194" />
            <source>Custom grid…</source>
            <translation>Lưới tùy chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="197" />
            <location filename="../../widgets/main_window.py" line="562" />
            <source>Full screen</source>
            <translation>Toàn màn hình</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="206" />
            <source>Tour the wall through my layouts</source>
            <translation>Tuần tra màn hình qua các bố cục của tôi</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="212" />
            <source>&amp;Wall windows</source>
            <translation>&amp;Cửa sổ màn hình tường</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="216" />
            <source>La&amp;youts</source>
            <translation>&amp;Bố cục</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="217" />
            <source>Save layout</source>
            <translation>Lưu bố cục</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="220" />
            <source>Save layout as…</source>
            <translation>Lưu bố cục thành…</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="222" />
            <source>Rename layout…</source>
            <translation>Đổi tên bố cục…</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="224" />
            <location filename="../../widgets/main_window.py" line="426" />
            <source>Delete layout</source>
            <translation>Xóa bố cục</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="226" />
            <source>Open at start</source>
            <translation>Mở khi khởi động</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="228" />
            <source>Share with my unit</source>
            <translation>Chia sẻ với đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="233" />
            <source>&amp;Language</source>
            <translation>&amp;Ngôn ngữ</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="247" />
            <source>User: %1 (%2)</source>
            <translation>Người dùng: %1 (%2)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="250" />
            <source>Unit: %1</source>
            <translation>Đơn vị: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="279" />
            <source>Loading cameras</source>
            <translation>Đang tải danh sách camera</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="293" />
            <source>Cameras (%1)</source>
            <translation>Danh sách camera (%1)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="301" />
            <source>Server: database unreachable</source>
            <translation>Máy chủ: mất kết nối cơ sở dữ liệu</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="303" />
            <source>iocwall too old for the server: update it</source>
            <translation>iocwall quá cũ so với máy chủ: hãy cập nhật</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="305" />
            <source>Clock off by %1 s</source>
            <translation>Đồng hồ lệch %1 giây</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="311" />
            <source>nobody on the roster</source>
            <translation>chưa phân công</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="312" />
            <source>On duty: %1 — %2</source>
            <translation>Trực: %1 — %2</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="313" />
            <source>%1 to %2 (UTC+7)</source>
            <translation>Từ %1 đến %2 (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="349" />
            <source>Layout %1 cannot be shown: %2</source>
            <translation>Không thể hiển thị bố cục %1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="410" />
            <source>Save layout as</source>
            <translation>Lưu bố cục thành</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="410" />
            <source>Name:</source>
            <translation>Tên:</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="417" />
            <source>Rename layout</source>
            <translation>Đổi tên bố cục</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="417" />
            <source>New name:</source>
            <translation>Tên mới:</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="427" />
            <source>Delete the layout %1?</source>
            <translation>Xóa bố cục %1?</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="457" />
            <source>Layout %1 saved.</source>
            <translation>Đã lưu bố cục %1.</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="477" />
            <source>My layouts</source>
            <translation>Bố cục của tôi</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="478" />
            <source>Shared by my unit</source>
            <translation>Đơn vị chia sẻ</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="483" />
            <source>%1 (by %2, read-only)</source>
            <translation>%1 (của %2, chỉ xem)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="486" />
            <source>%1 (at start)</source>
            <translation>%1 (khi khởi động)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="493" />
            <location filename="../../widgets/main_window.py" line="554" />
            <source>(none)</source>
            <translation>(không có)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="510" />
            <source>Layout: (not saved)</source>
            <translation>Bố cục: (chưa lưu)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="512" />
            <source>Layout: %1</source>
            <translation>Bố cục: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="514" />
            <source>Layout: %1 (read-only)</source>
            <translation>Bố cục: %1 (chỉ xem)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="521" />
            <source>No saved layouts to tour.</source>
            <translation>Không có bố cục đã lưu để tuần tra.</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="535" />
            <source>(not available)</source>
            <translation>(không khả dụng)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="538" />
            <source>New wall window on</source>
            <translation>Mở cửa sổ màn hình tường mới trên</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="545" />
            <source>Wall %1 on %2</source>
            <translation>Màn hình tường %1 trên %2</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="547" />
            <source>Show layout</source>
            <translation>Hiển thị bố cục</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="556" />
            <source>Move to screen</source>
            <translation>Chuyển sang màn hình</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="566" />
            <source>Close this wall window</source>
            <translation>Đóng cửa sổ màn hình tường này</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="572" />
            <source>%1 (this window's screen)</source>
            <translation>%1 (màn hình của cửa sổ này)</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="596" />
            <source>The language changes at the next start.</source>
            <translation>Ngôn ngữ sẽ được đổi ở lần khởi động sau.</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="609" />
            <source>Info</source>
            <translation>Thông tin</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="609" />
            <source>Warning</source>
            <translation>Cảnh báo</translation>
        </message>
        <message>
            <location filename="../../widgets/main_window.py" line="610" />
            <source>Error</source>
            <translation>Lỗi</translation>
        </message>
    </context>
    <context>
        <name>OfflineWatcher</name>
        <message>
            <location filename="../../app/incidents.py" line="334" />
            <source>No picture since %1 (UTC+7), %2 min or more; filed by the client</source>
            <translation>Không có hình từ %1 (UTC+7), từ %2 phút trở lên; máy trạm tự động báo</translation>
        </message>
        <message>
            <location filename="../../app/incidents.py" line="354" />
            <source>%1 has been offline for %3 min: incident #%2 filed</source>
            <translation>%1 mất kết nối đã %3 phút: đã báo sự cố #%2</translation>
        </message>
    </context>
    <context>
        <name>OpenCaseDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="187" />
            <source>Open a violation case</source>
            <translation>Mở vụ việc vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="193" />
            <source>Violation</source>
            <translation>Hành vi vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="200" />
            <source>Bookmark #%1: %2, %3 %4</source>
            <translation>Đánh dấu #%1: %2, %3 %4</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="204" />
            <source>Clip request #%1: %2, %3</source>
            <translation>Yêu cầu trích xuất #%1: %2, %3</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="212" />
            <source>From</source>
            <translation>Từ</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="213" />
            <source>Detected at another time (UTC+7)</source>
            <translation>Phát hiện vào thời điểm khác (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="221" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="222" />
            <source>Open case</source>
            <translation>Mở vụ việc</translation>
        </message>
    </context>
    <context>
        <name>Operations</name>
        <message>
            <location filename="../../widgets/operations.py" line="122" />
            <source>Choose a tile that shows a camera.</source>
            <translation>Hãy chọn một ô đang hiển thị camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="163" />
            <source>Select a bookmark first.</source>
            <translation>Hãy chọn một đánh dấu trước.</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="173" />
            <source>Select a clip request first.</source>
            <translation>Hãy chọn một yêu cầu trích xuất trước.</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="246" />
            <source>&amp;Operations</source>
            <translation>&amp;Vận hành</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="253" />
            <location filename="../../widgets/operations.py" line="259" />
            <location filename="../../widgets/operations.py" line="264" />
            <source>Cases</source>
            <translation>Vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="265" />
            <source>%1 (%2 overdue)</source>
            <translation>%1 (%2 quá hạn)</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="274" />
            <location filename="../../widgets/operations.py" line="282" />
            <location filename="../../widgets/operations.py" line="287" />
            <source>Incidents</source>
            <translation>Sự cố</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="288" />
            <source>%1 (%2 open)</source>
            <translation>%1 (%2 đang mở)</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="297" />
            <location filename="../../widgets/operations.py" line="305" />
            <source>Publications</source>
            <translation>Công bố</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="311" />
            <location filename="../../widgets/operations.py" line="317" />
            <source>Handover</source>
            <translation>Giao ca</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="326" />
            <source>Open case…</source>
            <translation>Mở vụ việc…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="331" />
            <source>Open case from the selected bookmark…</source>
            <translation>Mở vụ việc từ đánh dấu đang chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="334" />
            <source>Open case from the selected clip request…</source>
            <translation>Mở vụ việc từ yêu cầu trích xuất đang chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="339" />
            <source>Duty roster…</source>
            <translation>Lịch trực…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="344" />
            <source>Public cameras…</source>
            <translation>Camera công khai…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="348" />
            <source>Report a fault on the selected tile…</source>
            <translation>Báo lỗi camera ở ô đang chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/operations.py" line="354" />
            <source>Report a system fault…</source>
            <translation>Báo sự cố hệ thống…</translation>
        </message>
    </context>
    <context>
        <name>PackageDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="353" />
            <source>Evidence package of case #%1</source>
            <translation>Gói chứng cứ của vụ việc #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="357" />
            <source>One ZIP file with the evidence clips, their signed manifests, the case record, the letters and the site's public keys. The recipient checks it without iocwall (sha256sum -c SHA256SUMS, then openssl).</source>
            <translation>Một tệp ZIP gồm các đoạn video chứng cứ, bản kê khai đã ký của chúng, hồ sơ vụ việc, công văn và khóa công khai của hệ thống. Bên nhận tự kiểm tra mà không cần iocwall (sha256sum -c SHA256SUMS, rồi openssl).</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="365" />
            <source>Purpose</source>
            <translation>Mục đích</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="368" />
            <source>Choose…</source>
            <translation>Chọn…</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="373" />
            <source>Save as</source>
            <translation>Lưu thành</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="374" />
            <source>Export</source>
            <translation>Xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="377" />
            <source>Save the evidence package</source>
            <translation>Lưu gói chứng cứ</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="378" />
            <source>ZIP files (*.zip)</source>
            <translation>Tệp ZIP (*.zip)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="394" />
            <source>Choose where to save the package.</source>
            <translation>Hãy chọn nơi lưu gói chứng cứ.</translation>
        </message>
    </context>
    <context>
        <name>PasswordChangeDialog</name>
        <message>
            <location filename="../../widgets/password_change.py" line="37" />
            <source>Choose your password</source>
            <translation>Chọn mật khẩu của bạn</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="37" />
            <source>Change password</source>
            <translation>Đổi mật khẩu</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="40" />
            <source>An administrator set your password. Choose your own before you continue.</source>
            <translation>Mật khẩu của bạn do quản trị viên đặt. Hãy chọn mật khẩu riêng trước khi tiếp tục.</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="46" />
            <source>Current password</source>
            <translation>Mật khẩu hiện tại</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="48" />
            <source>New password</source>
            <translation>Mật khẩu mới</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="49" />
            <source>Repeat it</source>
            <translation>Nhập lại</translation>
        </message>
        <message>
            <location filename="../../widgets/password_change.py" line="63" />
            <source>Password change</source>
            <translation>Đổi mật khẩu</translation>
        </message>
    </context>
    <context>
        <name>PrivacyMaskDialog</name>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="163" />
            <source>Privacy masks of %1</source>
            <translation>Vùng che riêng tư của %1</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="166" />
            <source>Drag on the frame on the right to black out a region (a window, a yard); right-click a region to remove it. Once saved, the camera's gateway blacks the regions out for every viewer, the recordings and the exported clips; the live picture on the left shows the result within seconds.</source>
            <translation>Kéo chuột trên khung bên phải để che đen một vùng (cửa sổ, sân nhà); nhấp chuột phải vào một vùng để bỏ nó. Sau khi lưu, cổng truyền hình của camera che đen các vùng này với mọi người xem, trong bản ghi và trong clip xuất ra; hình trực tiếp bên trái cho thấy kết quả sau vài giây.</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="188" />
            <source>Remove all</source>
            <translation>Bỏ tất cả</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="190" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="194" />
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="208" />
            <source>%1 region(s), at most %2</source>
            <translation>%1 vùng, tối đa %2</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="226" />
            <source>Saved: %1 region(s).</source>
            <translation>Đã lưu: %1 vùng.</translation>
        </message>
        <message>
            <location filename="../../widgets/privacy_masks.py" line="231" />
            <source>The masks were not saved: %1</source>
            <translation>Chưa lưu được vùng che: %1</translation>
        </message>
    </context>
    <context>
        <name>ProbePage</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="149" />
            <location filename="../../widgets/camera_wizard.py" line="187" />
            <source>Probing the camera</source>
            <translation>Đang dò camera</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="150" />
            <source>The gateway logs in to the camera, reads its profiles and plays the proposed streams. This can take up to 25 seconds.</source>
            <translation>Gateway đăng nhập vào camera, đọc các cấu hình (profile) và phát thử các luồng đề xuất. Việc này có thể mất tới 25 giây.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="162" />
            <source>Probe again</source>
            <translation>Dò lại</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="206" />
            <source>Probing… %1 s</source>
            <translation>Đang dò… %1 giây</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="217" />
            <source>The camera answered</source>
            <translation>Camera đã trả lời</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="230" />
            <source>(step: %1)</source>
            <translation>(bước: %1)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="241" />
            <source>Manufacturer</source>
            <translation>Hãng sản xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="242" />
            <source>Model</source>
            <translation>Mẫu</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="243" />
            <source>Firmware</source>
            <translation>Phần mềm (firmware)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="245" />
            <source>Clock</source>
            <translation>Đồng hồ</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="245" />
            <source>%1 s off the gateway's</source>
            <translation>lệch %1 giây so với gateway</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="250" />
            <source>Profiles</source>
            <translation>Cấu hình (profile)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="253" />
            <source>Profile</source>
            <translation>Cấu hình</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="253" />
            <source>Codec</source>
            <translation>Chuẩn nén</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="253" />
            <source>Resolution</source>
            <translation>Độ phân giải</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="253" />
            <source>Frame rate</source>
            <translation>Tốc độ khung hình</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="254" />
            <source>Proposed</source>
            <translation>Đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="258" />
            <source>main</source>
            <translation>chính</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="260" />
            <source>sub</source>
            <translation>phụ</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="266" />
            <source>Main stream</source>
            <translation>Luồng chính</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="266" />
            <source>Sub stream</source>
            <translation>Luồng phụ</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="273" />
            <source>not checked</source>
            <translation>chưa kiểm tra</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="276" />
            <source>✔ plays (%1 %2, first picture after %3 s)</source>
            <translation>✔ phát được (%1 %2, hình đầu tiên sau %3 giây)</translation>
        </message>
    </context>
    <context>
        <name>ProposeDialog</name>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="84" />
            <source>Propose case #%1 for publication</source>
            <translation>Đề xuất công bố vụ việc #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="88" />
            <source>The public will see the violation type, the ward, the date, this title and the blurred clip. Draw a box over every face and number plate of a bystander: the n-th box at each moment is the same object, moved in a straight line between moments; a box drawn at one moment only stays for the whole clip. The blurred clip is reviewed, then an IOC leader approves it.</source>
            <translation>Người dân sẽ thấy loại vi phạm, phường, ngày, tiêu đề này và clip đã làm mờ. Hãy vẽ khung lên mọi khuôn mặt và biển số của người không liên quan: khung thứ n ở mỗi thời điểm là cùng một đối tượng, di chuyển thẳng giữa các thời điểm; khung chỉ vẽ ở một thời điểm sẽ giữ nguyên suốt clip. Clip đã làm mờ được kiểm tra, sau đó lãnh đạo IOC phê duyệt.</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="99" />
            <source>e.g. Red-light violation at the junction</source>
            <translation>vd. Vượt đèn đỏ tại nút giao</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="100" />
            <source>Public title</source>
            <translation>Tiêu đề công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="102" />
            <source>No clip (title only)</source>
            <translation>Không có clip (chỉ tiêu đề)</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="109" />
            <source>Clip request #%1: %2, %3</source>
            <translation>Yêu cầu trích xuất #%1: %2, %3</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="111" />
            <source>Clip</source>
            <translation>Clip</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="120" />
            <source>Moment</source>
            <translation>Thời điểm</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="124" />
            <source>Remove the boxes of this moment</source>
            <translation>Xoá các khung của thời điểm này</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="133" />
            <source>Propose</source>
            <translation>Đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="195" />
            <source>No box drawn yet.</source>
            <translation>Chưa vẽ khung nào.</translation>
        </message>
        <message>
            <location filename="../../widgets/publication_dialogs.py" line="197" />
            <source>%1: %2 box(es)</source>
            <translation>%1: %2 khung</translation>
        </message>
    </context>
    <context>
        <name>PtzBinding</name>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="81" />
            <source>Connecting to the PTZ of %1…</source>
            <translation>Đang kết nối điều khiển PTZ của %1…</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="83" />
            <source>PTZ of %1</source>
            <translation>PTZ của %1</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="90" />
            <source>PTZ control</source>
            <translation>Điều khiển PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="91" />
            <source>The selected camera has no PTZ.</source>
            <translation>Camera đang chọn không có chức năng PTZ.</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="93" />
            <source>PTZ control — %1</source>
            <translation>Điều khiển PTZ — %1</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="108" />
            <source>PTZ unavailable: %1</source>
            <translation>Không điều khiển được PTZ: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="147" />
            <location filename="../../widgets/ptz_binding.py" line="169" />
            <source>PTZ: you</source>
            <translation>PTZ: bạn đang điều khiển</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="150" />
            <source>PTZ: %1 (you wait, number %2)</source>
            <translation>PTZ: %1 (bạn đang chờ, thứ tự %2)</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="153" />
            <source>PTZ taken by %1</source>
            <translation>PTZ đã bị %1 giành quyền</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="167" />
            <source>PTZ: free</source>
            <translation>PTZ: đang rảnh</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="171" />
            <source>PTZ: %1</source>
            <translation>PTZ: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_binding.py" line="181" />
            <source>PTZ error: %1</source>
            <translation>Lỗi PTZ: %1</translation>
        </message>
    </context>
    <context>
        <name>PtzPad</name>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="68" />
            <location filename="../../widgets/ptz_pad.py" line="148" />
            <location filename="../../widgets/ptz_pad.py" line="278" />
            <source>PTZ: not in use</source>
            <translation>PTZ: không có ai điều khiển</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="83" />
            <source>Home</source>
            <translation>Vị trí gốc</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="87" />
            <source>Zoom +</source>
            <translation>Phóng to</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="88" />
            <source>Zoom −</source>
            <translation>Thu nhỏ</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="96" />
            <location filename="../../widgets/ptz_pad.py" line="99" />
            <source>Speed</source>
            <translation>Tốc độ</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="104" />
            <source>Go</source>
            <translation>Đi tới</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="105" />
            <source>Save as…</source>
            <translation>Lưu thành…</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="106" />
            <source>Rename…</source>
            <translation>Đổi tên…</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="107" />
            <source>Remove</source>
            <translation>Xóa</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="116" />
            <source>Set home</source>
            <translation>Đặt vị trí gốc</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="118" />
            <location filename="../../widgets/ptz_pad.py" line="262" />
            <source>Start patrol</source>
            <translation>Bắt đầu tuần tra</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="130" />
            <source>Presets</source>
            <translation>Điểm đặt trước</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="231" />
            <source>Save preset</source>
            <translation>Lưu điểm đặt trước</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="231" />
            <source>Preset name:</source>
            <translation>Tên điểm đặt trước:</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="242" />
            <source>Rename preset</source>
            <translation>Đổi tên điểm đặt trước</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="242" />
            <source>New name:</source>
            <translation>Tên mới:</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="255" />
            <source>All presets</source>
            <translation>Tất cả điểm đặt trước</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="262" />
            <source>Stop patrol</source>
            <translation>Dừng tuần tra</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="268" />
            <source>PTZ: you hold the camera</source>
            <translation>PTZ: bạn đang điều khiển camera</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="272" />
            <source>PTZ in use by %1; you are number %2 in the queue</source>
            <translation>PTZ đang do %1 điều khiển; bạn xếp hàng thứ %2</translation>
        </message>
        <message>
            <location filename="../../widgets/ptz_pad.py" line="276" />
            <source>PTZ taken by %1</source>
            <translation>PTZ đã bị %1 giành quyền</translation>
        </message>
    </context>
    <context>
        <name>PublicCameraService</name>
        <message>
            <location filename="../../app/public_cameras.py" line="76" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../app/public_cameras.py" line="91" />
            <source>Public camera</source>
            <translation>Camera công khai</translation>
        </message>
        <message>
            <location filename="../../app/public_cameras.py" line="104" />
            <source>Public cameras: %1</source>
            <translation>Camera công khai: %1</translation>
        </message>
    </context>
    <context>
        <name>PublicCamerasDialog</name>
        <message>
            <location filename="../../widgets/public_cameras.py" line="31" />
            <source>Public</source>
            <translation>Công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="32" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="33" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="34" />
            <source>Location</source>
            <translation>Vị trí</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="39" />
            <source>Public cameras</source>
            <translation>Camera công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="43" />
            <source>A ticked camera is shown to the public without login (Art. 14): its name, ward, location and a recent picture. Never its stream or its credentials.</source>
            <translation>Camera được đánh dấu sẽ hiển thị công khai cho người dân, không cần đăng nhập (Điều 14): tên, phường, vị trí và một hình ảnh gần nhất. Không bao giờ công khai luồng video hay thông tin đăng nhập của camera.</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="50" />
            <source>Loading cameras…</source>
            <translation>Đang tải danh sách camera…</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="98" />
            <source>%1 of %2 cameras are public</source>
            <translation>%1/%2 camera đang được công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="119" />
            <source>Saving %1…</source>
            <translation>Đang lưu %1…</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="132" />
            <source>%1 is public now</source>
            <translation>%1 đã được công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/public_cameras.py" line="132" />
            <source>%1 is no longer public</source>
            <translation>%1 đã thôi công khai</translation>
        </message>
    </context>
    <context>
        <name>PublicationService</name>
        <message>
            <location filename="../../app/publications.py" line="84" />
            <source>Publications</source>
            <translation>Công bố</translation>
        </message>
        <message>
            <location filename="../../app/publications.py" line="104" />
            <source>Propose publication</source>
            <translation>Đề xuất công bố</translation>
        </message>
        <message>
            <location filename="../../app/publications.py" line="112" />
            <source>Publication</source>
            <translation>Công bố</translation>
        </message>
        <message>
            <location filename="../../app/publications.py" line="117" />
            <source>Picture of the clip</source>
            <translation>Hình ảnh của clip</translation>
        </message>
        <message>
            <location filename="../../app/publications.py" line="133" />
            <source>Publication: %1</source>
            <translation>Công bố: %1</translation>
        </message>
    </context>
    <context>
        <name>PublicationsPanel</name>
        <message>
            <location filename="../../widgets/publications_panel.py" line="29" />
            <source>being blurred</source>
            <translation>đang làm mờ</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="30" />
            <source>blurring failed</source>
            <translation>làm mờ thất bại</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="31" />
            <source>waiting for review</source>
            <translation>chờ kiểm tra</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="32" />
            <source>waiting for a leader</source>
            <translation>chờ lãnh đạo duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="33" />
            <source>published</source>
            <translation>đã công bố</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="34" />
            <source>rejected</source>
            <translation>đã từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="35" />
            <source>withdrawn</source>
            <translation>đã gỡ</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="47" />
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="48" />
            <source>Case</source>
            <translation>Vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="49" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="50" />
            <source>Public title</source>
            <translation>Tiêu đề công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="51" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="52" />
            <source>Proposed (UTC+7)</source>
            <translation>Đề xuất lúc (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="69" />
            <source>Review the blurred clip…</source>
            <translation>Kiểm tra clip đã làm mờ…</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="72" />
            <source>Approve</source>
            <translation>Phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="74" />
            <source>Reject…</source>
            <translation>Từ chối…</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="77" />
            <source>Withdraw…</source>
            <translation>Gỡ công bố…</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="89" />
            <source>Proposed</source>
            <translation>Đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="91" />
            <source>Blurred clip reviewed</source>
            <translation>Đã kiểm tra clip làm mờ</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="93" />
            <source>Approved</source>
            <translation>Đã phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="105" />
            <source>Clip request #%1; %2 object(s) blurred, %3 box(es) drawn.</source>
            <translation>Yêu cầu trích xuất #%1; làm mờ %2 đối tượng, đã vẽ %3 khung.</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="107" />
            <source>No clip: the title only.</source>
            <translation>Không có clip: chỉ tiêu đề.</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="122" />
            <source>Review the blurred clip</source>
            <translation>Kiểm tra clip đã làm mờ</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="123" />
            <source>What you checked</source>
            <translation>Nội dung đã kiểm tra</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="124" />
            <source>e.g. No face or number plate of a bystander can be recognised</source>
            <translation>vd. Không còn nhận ra khuôn mặt hay biển số của người không liên quan</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="125" />
            <source>Reject the proposal</source>
            <translation>Từ chối đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="125" />
            <location filename="../../widgets/publications_panel.py" line="127" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="126" />
            <source>e.g. A number plate is still readable at 0:12</source>
            <translation>vd. Biển số vẫn đọc được ở giây 0:12</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="127" />
            <source>Withdraw from the public</source>
            <translation>Gỡ khỏi công khai</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="128" />
            <source>e.g. A person in the clip asked to be removed</source>
            <translation>vd. Người trong clip đề nghị gỡ bỏ</translation>
        </message>
        <message>
            <location filename="../../widgets/publications_panel.py" line="157" />
            <source>Publication #%1: %2</source>
            <translation>Công bố #%1: %2</translation>
        </message>
    </context>
    <context>
        <name>RejectDialog</name>
        <message>
            <location filename="../../widgets/requests_panel.py" line="173" />
            <source>Reject clip request #%1</source>
            <translation>Từ chối yêu cầu trích xuất số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="174" />
            <source>Reason (shown to the requester)</source>
            <translation>Lý do (hiển thị cho người yêu cầu)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="174" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="175" />
            <source>A rejection needs a reason</source>
            <translation>Từ chối cần có lý do</translation>
        </message>
    </context>
    <context>
        <name>ReportService</name>
        <message>
            <location filename="../../app/reports.py" line="203" />
            <source>Report</source>
            <translation>Báo cáo</translation>
        </message>
        <message>
            <location filename="../../app/reports.py" line="221" />
            <source>Report export</source>
            <translation>Xuất báo cáo</translation>
        </message>
        <message>
            <location filename="../../app/reports.py" line="227" />
            <source>the server did not send a %1 file</source>
            <translation>máy chủ không gửi tệp %1</translation>
        </message>
        <message>
            <location filename="../../app/reports.py" line="231" />
            <source>cannot write %1: %2</source>
            <translation>không ghi được %1: %2</translation>
        </message>
        <message>
            <location filename="../../app/reports.py" line="236" />
            <source>Report saved to %1</source>
            <translation>Đã lưu báo cáo vào %1</translation>
        </message>
        <message>
            <location filename="../../app/reports.py" line="245" />
            <source>Report: %1</source>
            <translation>Báo cáo: %1</translation>
        </message>
    </context>
    <context>
        <name>ReportsPanel</name>
        <message>
            <location filename="../../widgets/reports_panel.py" line="146" />
            <source>Quarterly</source>
            <translation>Báo cáo quý</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="147" />
            <source>6-monthly</source>
            <translation>Báo cáo 6 tháng</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="148" />
            <source>Yearly</source>
            <translation>Báo cáo năm</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="149" />
            <source>Ad hoc</source>
            <translation>Báo cáo đột xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="151" />
            <source>Report</source>
            <translation>Báo cáo</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="160" />
            <source>Year and part</source>
            <translation>Năm và kỳ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="174" />
            <source>From – to (UTC+7, inclusive)</source>
            <translation>Từ ngày – đến ngày (UTC+7, tính cả hai ngày)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="179" />
            <source>Show report</source>
            <translation>Xem báo cáo</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="180" />
            <source>Export PDF…</source>
            <translation>Xuất PDF…</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="181" />
            <source>Export CSV…</source>
            <translation>Xuất CSV…</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="198" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="198" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="198" />
            <source>Recorded (h)</source>
            <translation>Thời gian ghi hình (giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="199" />
            <source>Availability</source>
            <translation>Tỷ lệ hoạt động</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="199" />
            <source>Recording gaps (h)</source>
            <translation>Gián đoạn ghi hình (giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="200" />
            <source>Offline incidents (h)</source>
            <translation>Sự cố mất kết nối (giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="201" />
            <source>Seen live by clients</source>
            <translation>Máy trạm: tỷ lệ có hình</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="202" />
            <source>Cameras</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="207" />
            <location filename="../../widgets/reports_panel.py" line="225" />
            <source>Figure</source>
            <translation>Chỉ tiêu</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="207" />
            <location filename="../../widgets/reports_panel.py" line="225" />
            <source>Count</source>
            <translation>Số lượng</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="210" />
            <source>Incidents</source>
            <translation>Sự cố</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="215" />
            <source>Unit</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="215" />
            <source>Requests</source>
            <translation>Số yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="215" />
            <source>Approved</source>
            <translation>Được duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="216" />
            <source>Rejected</source>
            <translation>Bị từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="216" />
            <source>Pending</source>
            <translation>Đang chờ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="217" />
            <source>Mean time to approve (min)</source>
            <translation>Thời gian duyệt trung bình (phút)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="220" />
            <source>Clip requests</source>
            <translation>Yêu cầu trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="228" />
            <source>Violation cases</source>
            <translation>Vụ việc vi phạm</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="231" />
            <source>Availability by camera</source>
            <translation>Tỷ lệ hoạt động theo camera</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="232" />
            <source>Incidents by kind</source>
            <translation>Sự cố theo loại</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="232" />
            <source>incidents</source>
            <translation>sự cố</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="233" />
            <source>Clip requests by unit</source>
            <translation>Yêu cầu trích xuất theo đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="233" />
            <source>requests</source>
            <translation>yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="234" />
            <source>Violation cases by state</source>
            <translation>Vụ việc theo trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="234" />
            <source>cases</source>
            <translation>vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="243" />
            <source>Plots</source>
            <translation>Biểu đồ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="269" />
            <source>Quarter %1</source>
            <translation>Quý %1</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="271" />
            <source>First half</source>
            <translation>6 tháng đầu năm</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="272" />
            <source>Second half</source>
            <translation>6 tháng cuối năm</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="301" />
            <source>Loading the report…</source>
            <translation>Đang tải báo cáo…</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="307" />
            <source>%1: %2 (%3 – %4, UTC+7); made %5</source>
            <translation>%1: %2 (%3 – %4, UTC+7); lập lúc %5</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="320" />
            <source>%1 incidents; mean time to acknowledge %2 min, to resolve %3 min</source>
            <translation>%1 sự cố; thời gian tiếp nhận trung bình %2 phút, khắc phục trung bình %3 phút</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="324" />
            <location filename="../../widgets/reports_panel.py" line="339" />
            <source>Kind: %1</source>
            <translation>Loại: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="326" />
            <location filename="../../widgets/reports_panel.py" line="341" />
            <source>State: %1</source>
            <translation>Trạng thái: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="329" />
            <source>%1 clip requests; mean time to approve %2 min</source>
            <translation>%1 yêu cầu trích xuất; thời gian duyệt trung bình %2 phút</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="336" />
            <source>%1 violation cases; %2 overdue now; %3 steps done late</source>
            <translation>%1 vụ việc vi phạm; %2 đang quá hạn; %3 bước xử lý trễ hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="343" />
            <source>Overdue now</source>
            <translation>Đang quá hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="344" />
            <source>Steps done late</source>
            <translation>Bước xử lý trễ hạn</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="354" />
            <source>offline</source>
            <translation>mất kết nối</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="354" />
            <source>obstructed</source>
            <translation>bị che khuất</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="355" />
            <source>too dark</source>
            <translation>quá tối</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="355" />
            <source>PTZ broken</source>
            <translation>hỏng PTZ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="364" />
            <location filename="../../widgets/reports_panel.py" line="374" />
            <source>other</source>
            <translation>khác</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="367" />
            <source>open</source>
            <translation>đang mở</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="367" />
            <source>acknowledged</source>
            <translation>đã tiếp nhận</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="368" />
            <source>resolved</source>
            <translation>đã khắc phục</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="371" />
            <source>red light</source>
            <translation>vượt đèn đỏ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="371" />
            <source>wrong lane</source>
            <translation>sai làn đường</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="372" />
            <source>stopping, parking</source>
            <translation>dừng, đỗ sai quy định</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="373" />
            <source>other traffic</source>
            <translation>vi phạm giao thông khác</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="374" />
            <source>public order</source>
            <translation>trật tự công cộng</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="378" />
            <source>opened</source>
            <translation>mới mở</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="378" />
            <source>sent to police</source>
            <translation>đã chuyển Công an</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="379" />
            <source>verified</source>
            <translation>đã xác minh</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="380" />
            <source>conclusion reported</source>
            <translation>đã báo kết quả</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="381" />
            <source>record made</source>
            <translation>đã lập biên bản</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="381" />
            <source>decided</source>
            <translation>đã ra quyết định</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="382" />
            <source>closed</source>
            <translation>đã đóng</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="393" />
            <source>Save the report</source>
            <translation>Lưu báo cáo</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="394" />
            <source>PDF (*.pdf)</source>
            <translation>PDF (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="395" />
            <source>CSV (*.csv)</source>
            <translation>CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="410" />
            <source>Exporting…</source>
            <translation>Đang xuất…</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="415" />
            <source>Saved to %1</source>
            <translation>Đã lưu vào %1</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="356" />
            <source>clock off</source>
            <translation>lệch đồng hồ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="356" />
            <source>gateway down</source>
            <translation>cổng media ngừng hoạt động</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="357" />
            <source>stream lost</source>
            <translation>mất luồng video</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="358" />
            <source>recording stopped</source>
            <translation>ngừng ghi hình</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="359" />
            <source>disk full</source>
            <translation>đầy ổ đĩa</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="359" />
            <source>storage failure</source>
            <translation>lỗi lưu trữ</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="360" />
            <source>database unreachable</source>
            <translation>mất kết nối cơ sở dữ liệu</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="361" />
            <source>process restarted</source>
            <translation>tiến trình khởi động lại</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="362" />
            <source>software error</source>
            <translation>lỗi phần mềm</translation>
        </message>
        <message>
            <location filename="../../widgets/reports_panel.py" line="363" />
            <source>network down</source>
            <translation>mất kết nối mạng</translation>
        </message>
    </context>
    <context>
        <name>RequestsPanel</name>
        <message>
            <location filename="../../widgets/requests_panel.py" line="196" />
            <source>Mine</source>
            <translation>Của tôi</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="197" />
            <location filename="../../widgets/requests_panel.py" line="289" />
            <source>Awaiting my action</source>
            <translation>Chờ tôi xử lý</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="214" />
            <source>New request…</source>
            <translation>Yêu cầu mới…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="216" />
            <source>Endorse</source>
            <translation>Đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="218" />
            <source>Approve</source>
            <translation>Phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="220" />
            <source>Reject…</source>
            <translation>Từ chối…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="222" />
            <source>Download</source>
            <translation>Tải về</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="226" />
            <source>Play</source>
            <translation>Phát</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="233" />
            <source>Verify file…</source>
            <translation>Kiểm tra tệp…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="229" />
            <source>Open letter</source>
            <translation>Mở công văn</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="199" />
            <source>Received with cases</source>
            <translation>Nhận kèm vụ việc</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="231" />
            <source>The requesting agency's official letter (PDF)</source>
            <translation>Công văn đề nghị của cơ quan yêu cầu (PDF)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="237" />
            <source>Downloading… %p%</source>
            <translation>Đang tải về… %p%</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="238" />
            <source>Cancel</source>
            <translation>Hủy</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="261" />
            <source>#</source>
            <translation>Số</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="262" />
            <source>Camera</source>
            <translation>Camera</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="263" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="264" />
            <source>Range (UTC+7)</source>
            <translation>Khoảng thời gian (UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="265" />
            <source>State</source>
            <translation>Trạng thái</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="266" />
            <source>Requester</source>
            <translation>Người yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="267" />
            <source>Purpose</source>
            <translation>Mục đích</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="274" />
            <source>requested</source>
            <translation>đã yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="274" />
            <source>endorsed</source>
            <translation>đã đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="275" />
            <source>approved</source>
            <translation>đã phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="275" />
            <source>rejected</source>
            <translation>bị từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="276" />
            <source>extracting</source>
            <translation>đang trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="276" />
            <source>ready</source>
            <translation>sẵn sàng</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="277" />
            <source>delivered</source>
            <translation>đã giao</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="277" />
            <source>failed</source>
            <translation>thất bại</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="281" />
            <source>request</source>
            <translation>yêu cầu</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="281" />
            <source>endorse</source>
            <translation>đề xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="282" />
            <source>approve</source>
            <translation>phê duyệt</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="282" />
            <source>reject</source>
            <translation>từ chối</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="283" />
            <source>extraction started</source>
            <translation>bắt đầu trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="283" />
            <source>extracted</source>
            <translation>đã trích xuất</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="284" />
            <source>download</source>
            <translation>tải về</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="285" />
            <source>extraction failed</source>
            <translation>trích xuất thất bại</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="300" />
            <source>Request #%1, %2</source>
            <translation>Yêu cầu số %1, %2</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="302" />
            <source>system</source>
            <translation>hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="306" />
            <source>Commitment: %1</source>
            <translation>Cam kết: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="308" />
            <source>Official letter: %1</source>
            <translation>Công văn: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="310" />
            <source>Reason: %1</source>
            <translation>Lý do: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="312" />
            <source>Error: %1</source>
            <translation>Lỗi: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="374" />
            <source>Fetching the letter of request #%1…</source>
            <translation>Đang tải công văn của yêu cầu số %1…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="379" />
            <source>Letter of request #%1: %2</source>
            <translation>Công văn của yêu cầu số %1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="404" />
            <source>Clip to verify</source>
            <translation>Đoạn video cần kiểm tra</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="405" />
            <source>Clips (*.mp4)</source>
            <translation>Đoạn video (*.mp4)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="415" />
            <source>Its manifest</source>
            <translation>Tệp kê khai của đoạn video</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="416" />
            <source>Manifests (*.json)</source>
            <translation>Tệp kê khai (*.json)</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="426" />
            <source>Verifying %1…</source>
            <translation>Đang kiểm tra %1…</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="431" />
            <source>Intact</source>
            <translation>Nguyên vẹn</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="431" />
            <source>ALTERED</source>
            <translation>ĐÃ BỊ THAY ĐỔI</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="432" />
            <source>SIGNATURE INVALID</source>
            <translation>CHỮ KÝ KHÔNG HỢP LỆ</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="458" />
            <source>Download cancelled</source>
            <translation>Đã hủy tải về</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="459" />
            <source>Download failed: %1</source>
            <translation>Tải về thất bại: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/requests_panel.py" line="473" />
            <source>Request #%1: %2</source>
            <translation>Yêu cầu số %1: %2</translation>
        </message>
    </context>
    <context>
        <name>ResetPasswordDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="195" />
            <source>Reset the password of %1</source>
            <translation>Đặt lại mật khẩu của %1</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="196" />
            <source>Reset password</source>
            <translation>Đặt lại mật khẩu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="199" />
            <source>New password</source>
            <translation>Mật khẩu mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="200" />
            <source>Repeat it</source>
            <translation>Nhập lại</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="202" />
            <source>Every session of the account ends; its owner must choose a new password at the next login.</source>
            <translation>Mọi phiên của tài khoản sẽ kết thúc; chủ tài khoản phải chọn mật khẩu mới ở lần đăng nhập tới.</translation>
        </message>
    </context>
    <context>
        <name>ResolveDialog</name>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="298" />
            <source>Resolve incident #%1</source>
            <translation>Khắc phục sự cố #%1</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="299" />
            <source>What was done (at least 3 characters)</source>
            <translation>Đã xử lý thế nào (ít nhất 3 ký tự)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="299" />
            <source>Resolution</source>
            <translation>Biện pháp khắc phục</translation>
        </message>
    </context>
    <context>
        <name>RosterDialog</name>
        <message>
            <location filename="../../widgets/roster_panel.py" line="441" />
            <source>Duty roster</source>
            <translation>Lịch trực</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="447" />
            <source>Close</source>
            <translation>Đóng</translation>
        </message>
    </context>
    <context>
        <name>RosterPanel</name>
        <message>
            <location filename="../../widgets/roster_panel.py" line="54" />
            <source>Monday</source>
            <translation>Thứ Hai</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="55" />
            <source>Tuesday</source>
            <translation>Thứ Ba</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="56" />
            <source>Wednesday</source>
            <translation>Thứ Tư</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="57" />
            <source>Thursday</source>
            <translation>Thứ Năm</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="58" />
            <source>Friday</source>
            <translation>Thứ Sáu</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="59" />
            <source>Saturday</source>
            <translation>Thứ Bảy</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="60" />
            <source>Sunday</source>
            <translation>Chủ Nhật</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="96" />
            <source>◀ Previous week</source>
            <translation>◀ Tuần trước</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="97" />
            <source>This week</source>
            <translation>Tuần này</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="98" />
            <source>Next week ▶</source>
            <translation>Tuần sau ▶</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="104" />
            <source>Refresh</source>
            <translation>Làm mới</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="128" />
            <location filename="../../widgets/roster_panel.py" line="287" />
            <source>Assign duty…</source>
            <translation>Phân công…</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="169" />
            <source>Loading the roster…</source>
            <translation>Đang tải lịch trực…</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="174" />
            <source>Week of %1 – %2</source>
            <translation>Tuần từ %1 đến %2</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="202" />
            <source>Nobody on this shift</source>
            <translation>Chưa phân công ai</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="209" />
            <source>On duty now</source>
            <translation>Ca đang trực</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="212" />
            <source>Ended: kept as a record</source>
            <translation>Đã kết thúc: lưu làm hồ sơ</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="229" />
            <source>Green: the shift on duty now. Grey: ended shifts, kept as a record.</source>
            <translation>Nền xanh lá: ca đang trực. Chữ xám: ca đã kết thúc, lưu làm hồ sơ.</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="231" />
            <source>Double-click a shift to assign its people.</source>
            <translation>Nhấp đúp vào một ca để phân công người trực.</translation>
        </message>
        <message>
            <location filename="../../widgets/roster_panel.py" line="275" />
            <source>This shift has ended: who was on duty is kept as a record.</source>
            <translation>Ca trực này đã kết thúc: danh sách người trực được lưu làm hồ sơ.</translation>
        </message>
    </context>
    <context>
        <name>ServerWatch</name>
        <message>
            <location filename="../../app/server_watch.py" line="81" />
            <source>Checking the server</source>
            <translation>Đang kiểm tra máy chủ</translation>
        </message>
        <message>
            <location filename="../../app/server_watch.py" line="112" />
            <source>The server cannot reach its database: lists, searches, clips and incidents do not work until it is back. Live video keeps playing. Tell the administrator.</source>
            <translation>Máy chủ không kết nối được cơ sở dữ liệu: danh sách, tìm kiếm, đoạn trích xuất và sự cố không hoạt động cho đến khi kết nối lại. Video trực tiếp vẫn phát. Hãy báo quản trị viên.</translation>
        </message>
        <message>
            <location filename="../../app/server_watch.py" line="117" />
            <source>This workstation's iocwall is too old for the server: update it. Live video keeps playing.</source>
            <translation>Phần mềm iocwall trên máy trạm này quá cũ so với máy chủ: hãy cập nhật. Video trực tiếp vẫn tiếp tục.</translation>
        </message>
        <message>
            <location filename="../../app/server_watch.py" line="122" />
            <source>This computer's clock is %1 s off the server's: tell the administrator.</source>
            <translation>Đồng hồ của máy tính này lệch %1 giây so với máy chủ: hãy báo quản trị viên.</translation>
        </message>
    </context>
    <context>
        <name>StartupSplash</name>
        <message>
            <location filename="../../widgets/splash.py" line="27" />
            <source>iocwall — Video wall of the Đồng Hới IOC</source>
            <translation>iocwall — Tường video IOC Đồng Hới</translation>
        </message>
        <message>
            <location filename="../../widgets/splash.py" line="28" />
            <source>Starting…</source>
            <translation>Đang khởi động…</translation>
        </message>
        <message>
            <location filename="../../widgets/splash.py" line="40" />
            <source>Preparing the camera lab: %1/%2 clips (only the first start takes this long)…</source>
            <translation>Đang chuẩn bị phòng thử camera: %1/%2 đoạn video (chỉ lần khởi động đầu tiên mới lâu như vậy)…</translation>
        </message>
        <message>
            <location filename="../../widgets/splash.py" line="43" />
            <source>Starting the camera lab: %1/%2 streams answer…</source>
            <translation>Đang khởi động phòng thử camera: %1/%2 luồng đã trả lời…</translation>
        </message>
        <message>
            <location filename="../../widgets/splash.py" line="46" />
            <source>Starting the demo backend… %1 s</source>
            <translation>Đang khởi động máy chủ demo… %1 giây</translation>
        </message>
    </context>
    <context>
        <name>StepDialog</name>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="251" />
            <source>Case #%1: %2</source>
            <translation>Vụ việc #%1: %2</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="258" />
            <source>Identified earlier (declared, UTC+7)</source>
            <translation>Đã xác định trước đó (khai báo, UTC+7)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="264" />
            <source>Recorded at the server's time.</source>
            <translation>Ghi nhận theo giờ của máy chủ.</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="269" />
            <source>Complex: verification takes 2 months</source>
            <translation>Phức tạp: xác minh trong 2 tháng</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="278" />
            <source>Decision period</source>
            <translation>Thời hạn ra quyết định</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="281" />
            <source>The record must be handed to another authority (24 hours)</source>
            <translation>Biên bản phải chuyển cho cơ quan có thẩm quyền khác (24 giờ)</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="286" />
            <source>Conclusion of the verification</source>
            <translation>Kết luận xác minh</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="287" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="287" />
            <source>Reason</source>
            <translation>Lý do</translation>
        </message>
        <message>
            <location filename="../../widgets/case_dialogs.py" line="301" />
            <source>Give the reason for closing the case.</source>
            <translation>Hãy nêu lý do đóng vụ việc.</translation>
        </message>
    </context>
    <context>
        <name>StreamsPage</name>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="304" />
            <source>Streams</source>
            <translation>Luồng</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="305" />
            <source>Choose the main and sub streams; the one the wall shows in small tiles plays below. Nothing is saved yet.</source>
            <translation>Chọn luồng chính và luồng phụ; luồng mà màn hình tường hiển thị ở ô nhỏ được phát bên dưới. Chưa có gì được lưu.</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="310" />
            <source>Main stream</source>
            <translation>Luồng chính</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="311" />
            <source>Sub stream</source>
            <translation>Luồng phụ</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="327" />
            <source>(none)</source>
            <translation>(không có)</translation>
        </message>
        <message>
            <location filename="../../widgets/camera_wizard.py" line="365" />
            <location filename="../../widgets/camera_wizard.py" line="369" />
            <source>Preview</source>
            <translation>Xem trước</translation>
        </message>
    </context>
    <context>
        <name>SystemFaultDialog</name>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="230" />
            <source>Report a fault of the system</source>
            <translation>Báo sự cố hệ thống</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="236" />
            <source>Category</source>
            <translation>Nhóm</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="238" />
            <source>Fault</source>
            <translation>Sự cố</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="242" />
            <source>What it is about: a server, a workstation, a disk, a line</source>
            <translation>Sự cố ở đâu: máy chủ, máy trạm, ổ đĩa, đường truyền</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="243" />
            <source>Subject</source>
            <translation>Đối tượng</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="245" />
            <source>What do you see? (optional)</source>
            <translation>Bạn thấy gì? (không bắt buộc)</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="247" />
            <source>Note</source>
            <translation>Ghi chú</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="248" />
            <source>Report</source>
            <translation>Báo lỗi</translation>
        </message>
        <message>
            <location filename="../../widgets/incidents_panel.py" line="282" />
            <source>Say what the fault is about</source>
            <translation>Hãy cho biết sự cố ở đâu</translation>
        </message>
    </context>
    <context>
        <name>UnitDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="85" />
            <source>New unit</source>
            <translation>Đơn vị mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="85" />
            <source>Edit unit</source>
            <translation>Sửa đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="86" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="89" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="93" />
            <source>Kind</source>
            <translation>Loại</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="94" />
            <source>(no ward)</source>
            <translation>(không thuộc phường)</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="95" />
            <source>Ward</source>
            <translation>Phường</translation>
        </message>
    </context>
    <context>
        <name>UserDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="132" />
            <source>New account</source>
            <translation>Tài khoản mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="132" />
            <source>Edit account</source>
            <translation>Sửa tài khoản</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="133" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="137" />
            <source>User name</source>
            <translation>Tên đăng nhập</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="139" />
            <source>Full name</source>
            <translation>Họ và tên</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="144" />
            <source>Unit</source>
            <translation>Đơn vị</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="149" />
            <source>Role</source>
            <translation>Vai trò</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="154" />
            <source>First password</source>
            <translation>Mật khẩu ban đầu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="155" />
            <source>Repeat it</source>
            <translation>Nhập lại</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="156" />
            <source>Its owner must change it at the first login.</source>
            <translation>Chủ tài khoản phải đổi mật khẩu này ở lần đăng nhập đầu tiên.</translation>
        </message>
    </context>
    <context>
        <name>VideoTile</name>
        <message>
            <location filename="../../widgets/tile.py" line="339" />
            <location filename="../../widgets/tile.py" line="340" />
            <location filename="../../widgets/tile.py" line="403" />
            <location filename="../../widgets/tile.py" line="433" />
            <source>Connecting…</source>
            <translation>Đang kết nối…</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="349" />
            <source>Empty — drop a camera here</source>
            <translation>Trống — kéo camera vào đây</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="435" />
            <source>Live</source>
            <translation>Trực tiếp</translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/tile.py" line="438" />
            <source>Frozen %n s</source>
            <translation>
                <numerusform>Đứng hình %n giây</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="439" />
            <source>Frozen</source>
            <translation>Đứng hình</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="412" />
            <location filename="../../widgets/tile.py" line="442" />
            <source>Offline: %1</source>
            <translation>Mất tín hiệu: %1</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="181" />
            <location filename="../../widgets/tile.py" line="444" />
            <source>Replay</source>
            <translation>Xem lại</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="182" />
            <source>Instant replay of the last 30 s (R)</source>
            <translation>Xem lại ngay 30 giây vừa qua (R)</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="187" />
            <source>Bookmark</source>
            <translation>Đánh dấu</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="188" />
            <source>Bookmark this moment of the camera (B)</source>
            <translation>Đánh dấu thời điểm này của camera (B)</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="196" />
            <source>Tour position</source>
            <translation>Vị trí tuần tra</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="265" />
            <source>Tour %1</source>
            <translation>Tuần tra %1</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="301" />
            <source>No permission to view this camera</source>
            <translation>Không có quyền xem camera này</translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/tile.py" line="402" />
            <source>Waiting for the camera's key frame… %n s</source>
            <translation>
                <numerusform>Đang chờ khung hình chính của camera… %n giây</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="405" />
            <source>LIVE</source>
            <translation>TRỰC TIẾP</translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/tile.py" line="408" />
            <source>STALLED — no new picture for %n s</source>
            <translation>
                <numerusform>ĐỨNG HÌNH — không có hình mới trong %n giây</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="410" />
            <source>offline</source>
            <translation>mất tín hiệu</translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/tile.py" line="414" />
            <source>Offline: %1 — reconnecting in %n s</source>
            <translation>
                <numerusform>Mất tín hiệu: %1 — kết nối lại sau %n giây</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../widgets/tile.py" line="418" />
            <source>REPLAY — %n s behind live (R: back to live)</source>
            <translation>
                <numerusform>XEM LẠI — chậm %n giây so với trực tiếp (R: về trực tiếp)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="442" />
            <source>Offline</source>
            <translation>Mất tín hiệu</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="445" />
            <source>Stopped</source>
            <translation>Đã dừng</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="449" />
            <source>connection refused</source>
            <translation>bị từ chối kết nối</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="450" />
            <source>wrong camera credentials</source>
            <translation>sai thông tin đăng nhập camera</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="451" />
            <source>no answer</source>
            <translation>không phản hồi</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="452" />
            <source>stream not found</source>
            <translation>không tìm thấy luồng video</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="453" />
            <source>access denied</source>
            <translation>bị từ chối truy cập</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="454" />
            <source>disconnected</source>
            <translation>mất kết nối</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="455" />
            <source>no video</source>
            <translation>không có hình</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="456" />
            <source>player error</source>
            <translation>lỗi trình phát</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="457" />
            <source>video gateway unreachable</source>
            <translation>không kết nối được cổng video</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="458" />
            <source>the gateway cannot reach the camera</source>
            <translation>cổng video không kết nối được tới camera</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="459" />
            <source>the server granted no viewing session</source>
            <translation>máy chủ không cấp phiên xem</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="460" />
            <source>the video gateway's certificate is not from this system's certificate authority: not connected</source>
            <translation>chứng chỉ của cổng video không do tổ chức cấp chứng chỉ của hệ thống cấp: không kết nối</translation>
        </message>
        <message>
            <location filename="../../widgets/tile.py" line="462" />
            <source>error</source>
            <translation>lỗi</translation>
        </message>
    </context>
    <context>
        <name>WallView</name>
        <message>
            <location filename="../../widgets/wall_view.py" line="215" />
            <source>%1 (%2 tiles)</source>
            <translation>%1 (%2 ô)</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="216" />
            <source>%1×%2 (%3 tiles)</source>
            <translation>%1×%2 (%3 ô)</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="422" />
            <source>Camera #%1</source>
            <translation>Camera số %1</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="444" />
            <source>Tour all cameras in this tile</source>
            <translation>Tuần tra mọi camera trong ô này</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="449" />
            <source>Tour the cameras of %1 in this tile</source>
            <translation>Tuần tra các camera của %1 trong ô này</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="452" />
            <source>Stop this tile's tour</source>
            <translation>Dừng tuần tra của ô này</translation>
        </message>
        <message>
            <location filename="../../widgets/wall_view.py" line="456" />
            <source>Report a fault…</source>
            <translation>Báo lỗi camera…</translation>
        </message>
    </context>
    <context>
        <name>WallWindow</name>
        <message>
            <location filename="../../widgets/wall_window.py" line="72" />
            <source>iocwall — wall %1</source>
            <translation>iocwall — màn hình tường %1</translation>
        </message>
    </context>
    <context>
        <name>WallWindows</name>
        <message>
            <location filename="../../widgets/wall_window.py" line="213" />
            <source>Layout %1 cannot be shown: %2</source>
            <translation>Không thể hiển thị bố cục %1: %2</translation>
        </message>
    </context>
    <context>
        <name>WardDialog</name>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="65" />
            <source>New ward</source>
            <translation>Phường mới</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="65" />
            <source>Edit ward</source>
            <translation>Sửa phường</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="66" />
            <source>Save</source>
            <translation>Lưu</translation>
        </message>
        <message>
            <location filename="../../widgets/admin_dialogs.py" line="69" />
            <source>Name</source>
            <translation>Tên</translation>
        </message>
    </context>
</TS>
