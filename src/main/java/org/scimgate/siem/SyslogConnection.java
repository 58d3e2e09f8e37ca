package org.scimgate.siem;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Opens the connection to the syslog receiver: TLS ({@code tls://}) checking the receiver's
 * certificate against {@code SIEM_TLS_CA} (else the JVM's trust store) and its host name, with a
 * client certificate for mutual TLS when one is configured; or plain TCP ({@code tcp://}) for a
 * relay on the same machine.
 */
final class SyslogConnection {

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final Duration timeout;

    SyslogConnection(String host, int port, SSLContext tls, Duration timeout) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.timeout = timeout;
    }

    static SyslogConnection of(SiemSettings settings) {
        URI endpoint = settings.endpoint();
        SSLContext tls = "tls".equals(endpoint.getScheme())
                ? context(settings.tlsCa(), settings.tlsClientCert(), settings.tlsClientKey()) : null;
        return new SyslogConnection(endpoint.getHost(), endpoint.getPort(), tls, settings.timeout());
    }

    String describe() {
        return (tls == null ? "tcp://" : "tls://") + host + ":" + port;
    }

    Socket open() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            plain.setKeepAlive(true);
            if (tls == null) {
                return plain;
            }
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    static SSLContext context(Path ca, Path clientCert, Path clientKey) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                List<? extends Certificate> certificates = certificates(ca);
                if (certificates.isEmpty()) {
                    throw new IllegalArgumentException("SIEM_TLS_CA (" + ca + ") holds no PEM certificate");
                }
                for (int i = 0; i < certificates.size(); i++) {
                    anchors.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                trust.init(anchors);
            }
            KeyManagerFactory keys = null;
            if (clientCert != null) {
                KeyStore identity = KeyStore.getInstance(KeyStore.getDefaultType());
                identity.load(null, null);
                char[] none = new char[0];
                identity.setKeyEntry("client", privateKey(clientKey), none,
                        certificates(clientCert).toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the syslog TLS settings (SIEM_TLS_CA, SIEM_TLS_CLIENT_CERT, "
                    + "SIEM_TLS_CLIENT_KEY) cannot be used: " + e.getMessage(), e);
        }
    }

    private static List<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem);
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("SIEM_TLS_CLIENT_KEY (" + pem + ") is not a PKCS#8 PEM key "
                    + "(BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("SIEM_TLS_CLIENT_KEY (" + pem + ") is neither an RSA, EC nor Ed25519 key");
    }
}
