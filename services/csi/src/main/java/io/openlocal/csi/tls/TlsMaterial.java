package io.openlocal.csi.tls;

import io.openlocal.backend.error.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One side's TLS material for the node API, from PEM files (as the Helm chart's secrets mount them): its
 * certificate chain, its private key and the CA that signs both sides. Keys may be PKCS#8 ({@code PRIVATE KEY},
 * what cert-manager writes) or PKCS#1 ({@code RSA PRIVATE KEY}, what Helm's {@code genSignedCert} writes); Java
 * reads only PKCS#8, so a PKCS#1 key is wrapped in a PKCS#8 structure first ({@link Pkcs1}).
 *
 * @param chain the certificate first, then intermediates
 * @param key   the private key
 * @param ca    the trust anchors
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> ca) {

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    public TlsMaterial {
        chain = List.copyOf(chain);
        ca = List.copyOf(ca);
        if (chain.isEmpty() || ca.isEmpty()) {
            throw new StorageException.InvalidArgument("TLS: a certificate and a CA are required");
        }
    }

    public static TlsMaterial fromPem(Path certificate, Path privateKey, Path caBundle) {
        return new TlsMaterial(certificates(read(certificate)), key(read(privateKey)), certificates(read(caBundle)));
    }

    /** This side's identity (for messages). */
    public List<String> identities() {
        return PeerIdentity.identities(chain.getFirst());
    }

    /** An SSL context that presents this material and trusts only the CA's {@code expectedPeer}. */
    public SSLContext sslContext(String expectedPeer) {
        return sslContext(List.of(expectedPeer));
    }

    /** An SSL context that presents this material and trusts only the CA's peers naming one of {@code expected}. */
    public SSLContext sslContext(List<String> expectedPeers) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keyManagers(), new TrustManager[] {trustManager(expectedPeers)}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new StorageException.InvalidArgument("TLS: cannot build the SSL context: " + e.getMessage());
        }
    }

    public KeyManager[] keyManagers() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("self", key, new char[0], chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new StorageException.InvalidArgument("TLS: the key does not fit the certificate: " + e.getMessage());
        }
    }

    /** Trusts chains to the CA that name {@code expectedPeer}. */
    public PeerIdentity trustManager(String expectedPeer) {
        return trustManager(List.of(expectedPeer));
    }

    /** Trusts chains to the CA that name one of {@code expectedPeers}. */
    public PeerIdentity trustManager(List<String> expectedPeers) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < ca.size(); i++) {
                store.setCertificateEntry("ca-" + i, ca.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return new PeerIdentity(x509, expectedPeers);
                }
            }
            throw new StorageException.Internal("TLS: no X.509 trust manager available");
        } catch (GeneralSecurityException | IOException e) {
            throw new StorageException.InvalidArgument("TLS: cannot use the CA: " + e.getMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StorageException.InvalidArgument("TLS: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> list = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(pem, "CERTIFICATE")) {
                list.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException e) {
            throw new StorageException.InvalidArgument("TLS: not a certificate: " + e.getMessage());
        }
        if (list.isEmpty()) {
            throw new StorageException.InvalidArgument("TLS: no CERTIFICATE block found");
        }
        return list;
    }

    private static PrivateKey key(String pem) {
        List<byte[]> pkcs8 = blocks(pem, "PRIVATE KEY");
        List<byte[]> pkcs1 = blocks(pem, "RSA PRIVATE KEY");
        if (pkcs8.size() + pkcs1.size() != 1) {
            throw new StorageException.InvalidArgument("TLS: expected one 'PRIVATE KEY' (PKCS#8) or 'RSA PRIVATE KEY' "
                    + "(PKCS#1) block, found " + (pkcs8.size() + pkcs1.size()));
        }
        if (!pkcs1.isEmpty()) {
            try {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                        Pkcs1.toPkcs8(pkcs1.getFirst())));
            } catch (GeneralSecurityException e) {
                throw new StorageException.InvalidArgument("TLS: not a PKCS#1 RSA key: " + e.getMessage());
            }
        }
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8.getFirst()));
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new StorageException.InvalidArgument("TLS: the private key is not an EC, RSA or Ed25519 PKCS#8 key");
    }

    private static List<byte[]> blocks(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return blocks;
    }
}
