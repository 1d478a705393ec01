"""The Vietnamese words of the server's documents (reports, handover notes): the names of the
vocabulary's codes as an official record shows them, never the codes themselves."""

from __future__ import annotations

KIND_VI = {"red_light": "Vượt đèn đỏ", "lane": "Sai làn đường",
           "stopping_parking": "Dừng, đỗ sai quy định", "other_traffic": "Vi phạm giao thông khác",
           "public_order": "Trật tự công cộng", "other": "Khác"}
CASE_STATE_VI = {"opened": "Mới mở", "sent": "Đã chuyển Công an", "concluded": "Đã xác minh",
                 "conclusion_reported": "Đã báo kết quả", "record_made": "Đã lập biên bản",
                 "decided": "Đã ra quyết định", "closed": "Đã đóng"}
INCIDENT_KIND_VI = {"offline": "Mất kết nối", "obstructed": "Bị che khuất",
                    "too_dark": "Quá tối", "ptz_broken": "Hỏng PTZ",
                    "clock_drift": "Lệch đồng hồ", "gateway_down": "Cổng media ngừng",
                    "stream_lost": "Mất luồng video", "recorder_stopped": "Ngừng ghi hình",
                    "disk_full": "Đầy ổ đĩa", "storage_failure": "Lỗi lưu trữ",
                    "database_unreachable": "Mất kết nối cơ sở dữ liệu",
                    "process_restarted": "Tiến trình khởi động lại",
                    "software_error": "Lỗi phần mềm", "network_down": "Mất kết nối mạng",
                    "other": "Khác"}
INCIDENT_CATEGORY_VI = {"camera": "Camera", "software": "Phần mềm", "server": "Máy chủ",
                        "storage": "Lưu trữ", "network": "Mạng"}
INCIDENT_STATE_VI = {"open": "Đang mở", "acknowledged": "Đã tiếp nhận",
                     "resolved": "Đã khắc phục"}
PERIOD_VI = {"quarterly": "Báo cáo quý", "six_monthly": "Báo cáo 6 tháng",
             "yearly": "Báo cáo năm", "ad_hoc": "Báo cáo đột xuất"}
