# gen_sheet.awk: a CSV of N models laid out as an office keeps them, over the real 2024
# communes (units-2024.csv on stdin). Usage: awk -v n=1000000 -f gen_sheet.awk units-2024.csv
BEGIN { FS = ","; srand(20251126) }
$5 == 3 { code[nc++] = $1 }
END {
    split("Kinh tế,Văn hóa - xã hội,Quốc phòng - an ninh,Xây dựng hệ thống chính trị", fields, ",")
    split("Mô hình,Dân vận khéo,Tổ tự quản,Câu lạc bộ,Đường,Vườn,Nhà,Camera,Quỹ,Hợp tác xã,Chi hội,Điểm", w1, ",")
    split("trồng quế,an ninh trật tự,hiến đất làm đường,phụ nữ giúp nhau,thắp sáng đường quê,nuôi bò,nhà đại đoàn kết,khu dân cư xanh,chuyển đổi số,giảm nghèo,học tập cộng đồng,dòng họ tự quản", w2, ",")
    print "STT,Mã tham chiếu,Tên mô hình,Lĩnh vực,Tập thể/Cá nhân,Mã đơn vị,Danh mục,Ngày đăng ký,Chủ mô hình,Số hộ tham gia"
    for (i = 1; i <= n; i++) {
        r = rand()
        f = r < 0.55 ? 1 : r < 0.80 ? 2 : r < 0.92 ? 3 : 4
        k = rand() < 0.8 ? "Tập thể" : "Cá nhân"
        y = 2019 + int(rand() * 6)
        printf "%d,QN-%07d,%s %s số %d,%s,%s,%s,2024,%02d/%02d/%d,Chi hội %d,\"%d\"\n", i, i, w1[1 + int(rand() * 12)], w2[1 + int(rand() * 12)], i, fields[f], k, code[int(rand() * nc)], 1 + int(rand() * 28), 1 + int(rand() * 12), y, i % 97, int(rand() * 2000)
    }
}
