import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;

import java.util.Map;

/**
 * Prints a QR code in the terminal with Unicode half blocks (two modules per character cell), for the local
 * stack's demo: {@code java -cp core-3.5.4.jar deploy/local/QrTerminal.java '<qr ref>'}.
 */
public class QrTerminal {

    public static void main(String[] args) throws Exception {
        BitMatrix m = new QRCodeWriter().encode(args[0], BarcodeFormat.QR_CODE, 0, 0,
                Map.of(EncodeHintType.MARGIN, 2));
        StringBuilder out = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            out.append("    ");
            for (int x = 0; x < m.getWidth(); x++) {
                boolean top = m.get(x, y);
                boolean bottom = y + 1 < m.getHeight() && m.get(x, y + 1);
                // dark modules are drawn as spaces on a light terminal cell: scanners want dark on light
                out.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            out.append('\n');
        }
        System.out.print(out);
    }
}
