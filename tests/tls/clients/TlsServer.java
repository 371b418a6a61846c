// TlsServer.java - a minimal Java JSSE (OpenJDK 17) TLS server for the
// tests/tls captures. Compiled at capture time (javac -d TMP).
//
//   java -cp TMP TlsServer ADDR PORT KEYSTORE.p12 TRUSTSTORE.p12 PASSWORD TLSv1.3|TLSv1.2
//
// Serves ONE connection and exits. KEYSTORE holds the server's key and
// certificate; the server REQUIRES a client certificate that chains to
// TRUSTSTORE (setNeedClientAuth). After a handshake it reads one request and
// answers a fixed HTTP/1.0 reply; a failed handshake is printed as
// "TlsServer: <exception>" on stderr (exit 1). Accept and reads time out
// (10 s, 5 s).
import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public class TlsServer {
    static KeyStore load(String path, char[] pw) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(path)) {
            ks.load(in, pw);
        }
        return ks;
    }

    public static void main(String[] a) {
        if (a.length != 6) {
            System.err.println("usage: TlsServer ADDR PORT KEYSTORE TRUSTSTORE PASSWORD PROTOCOL");
            System.exit(2);
        }
        try {
            char[] pw = a[4].toCharArray();
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(a[2], pw), pw);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(a[3], pw));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLServerSocket ss = (SSLServerSocket) ctx.getServerSocketFactory()
                    .createServerSocket(Integer.parseInt(a[1]), 1, InetAddress.getByName(a[0]));
            ss.setEnabledProtocols(new String[] {a[5]});
            ss.setNeedClientAuth(true);
            ss.setSoTimeout(10000);
            SSLSocket s = (SSLSocket) ss.accept();
            ss.close();
            s.setSoTimeout(5000);
            s.startHandshake();
            System.err.println("TlsServer: handshake done: " + s.getSession().getProtocol());
            byte[] buf = new byte[4096];
            s.getInputStream().read(buf);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello from the synack fixture.\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.close();
            System.exit(0);
        } catch (Exception e) {
            System.err.println("TlsServer: " + e);
            System.exit(1);
        }
    }
}
