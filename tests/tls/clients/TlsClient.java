// TlsClient.java - a minimal Java JSSE (OpenJDK 17) TLS client for the
// tests/tls captures. Compiled at capture time (javac -d TMP); no keylog
// (JSSE cannot write one).
//
//   java -cp TMP TlsClient ADDR PORT SNI TRUSTSTORE.p12 PASSWORD TLSv1.3|TLSv1.2
//
// Connects to ADDR:PORT, sends SNI, checks the server's certificate against
// the PKCS#12 trust store and the name SNI (endpoint identification HTTPS),
// with exactly one protocol version enabled. On success it sends
// "GET /hello.txt HTTP/1.0", prints the reply and exits 0; on any failure it
// prints "TlsClient: <exception>" on stderr and exits 1. Socket timeouts
// bound every read (5 s).
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class TlsClient {
    public static void main(String[] a) {
        if (a.length != 6) {
            System.err.println("usage: TlsClient ADDR PORT SNI TRUSTSTORE PASSWORD PROTOCOL");
            System.exit(2);
        }
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            try (FileInputStream in = new FileInputStream(a[3])) {
                ts.load(in, a[4].toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            s.connect(new InetSocketAddress(a[0], Integer.parseInt(a[1])), 5000);
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(a[2])));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setProtocols(new String[] {a[5]});
            s.setSSLParameters(p);
            s.startHandshake();
            System.out.println("TlsClient: handshake done: " + s.getSession().getProtocol() + " "
                    + s.getSession().getCipherSuite());
            OutputStream out = s.getOutputStream();
            out.write(("GET /hello.txt HTTP/1.0\r\nHost: " + a[2] + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                System.out.write(buf, 0, n);
            }
            System.out.flush();
            s.close();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("TlsClient: " + e);
            System.exit(1);
        }
    }
}
