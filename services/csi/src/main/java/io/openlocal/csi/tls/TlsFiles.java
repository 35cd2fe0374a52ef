package io.openlocal.csi.tls;

import io.openlocal.backend.error.StorageException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The node API's PEM files, reread when they change: cert-manager (and kubelet's Secret volumes) replace them
 * in place. Every TLS handshake asks {@link #current()}, which compares the files' real paths, sizes and
 * modification times with the last load and reloads on a difference; a half-written or broken set keeps the
 * last good material (and is logged), so a rotation never takes the listener down.
 */
public final class TlsFiles {

    private static final Logger LOG = Logger.getLogger(TlsFiles.class.getName());

    private record Stamp(List<String> parts) {
    }

    private record Loaded(TlsMaterial material, X509ExtendedKeyManager keys,
                          Map<List<String>, PeerIdentity> trust) {
    }

    private final Path certificate;
    private final Path key;
    private final Path ca;
    private Stamp stamp;
    private Loaded loaded;

    /** Loads the files now; a missing or broken file fails here, naming it. */
    public TlsFiles(Path certificate, Path key, Path ca) {
        this.certificate = certificate;
        this.key = key;
        this.ca = ca;
        this.stamp = stamp();
        this.loaded = load();
    }

    /** The material as the files are now (the last good one when they cannot be read). */
    public TlsMaterial current() {
        return refreshed().material();
    }

    private synchronized Loaded refreshed() {
        Stamp now;
        try {
            now = stamp();
        } catch (StorageException e) {
            LOG.log(Level.WARNING, "node API TLS files unreadable, keeping the loaded ones: " + e.getMessage());
            return loaded;
        }
        if (!now.equals(stamp)) {
            try {
                loaded = load();
                stamp = now;
                LOG.info("node API TLS files changed; reloaded " + certificate);
            } catch (StorageException e) {
                LOG.log(Level.WARNING, "node API TLS files changed but do not load, keeping the previous ones: "
                        + e.getMessage());
            }
        }
        return loaded;
    }

    private Loaded load() {
        TlsMaterial material = TlsMaterial.fromPem(certificate, key, ca);
        X509ExtendedKeyManager keys = null;
        for (KeyManager manager : material.keyManagers()) {
            if (manager instanceof X509ExtendedKeyManager x509) {
                keys = x509;
            }
        }
        if (keys == null) {
            throw new StorageException.Internal("TLS: no X.509 key manager available");
        }
        return new Loaded(material, keys, new HashMap<>());
    }

    private synchronized PeerIdentity trust(List<String> expected) {
        Loaded now = refreshed();
        return now.trust().computeIfAbsent(List.copyOf(expected), e -> now.material().trustManager(e));
    }

    private Stamp stamp() {
        List<String> parts = new ArrayList<>();
        for (Path file : List.of(certificate, key, ca)) {
            try {
                parts.add(file.toRealPath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file));
            } catch (IOException e) {
                throw new StorageException.InvalidArgument("TLS: cannot read " + file + ": " + e.getMessage());
            }
        }
        return new Stamp(parts);
    }

    /** A key manager presenting the current certificate at each handshake. */
    public X509ExtendedKeyManager keyManager() {
        return new X509ExtendedKeyManager() {
            private X509ExtendedKeyManager now() {
                return refreshed().keys();
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return now().getClientAliases(keyType, issuers);
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return now().chooseClientAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return now().chooseEngineClientAlias(keyType, issuers, engine);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return now().getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return now().chooseServerAlias(keyType, issuers, socket);
            }

            @Override
            public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
                return now().chooseEngineServerAlias(keyType, issuers, engine);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return now().getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return now().getPrivateKey(alias);
            }
        };
    }

    /** A trust manager checking peers against the current CA and one of {@code expected} names. */
    public X509ExtendedTrustManager trustManager(List<String> expected) {
        List<String> names = List.copyOf(expected);
        return new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                trust(names).checkClientTrusted(chain, authType, socket);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                trust(names).checkServerTrusted(chain, authType, socket);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                trust(names).checkClientTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                trust(names).checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                trust(names).checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                trust(names).checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return trust(names).getAcceptedIssuers();
            }
        };
    }

    /** A server or client SSL context whose certificate and CA follow the files. */
    public SSLContext sslContext(List<String> expectedPeers) {
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(new KeyManager[] {keyManager()}, new TrustManager[] {trustManager(expectedPeers)},
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new StorageException.InvalidArgument("TLS: cannot build the SSL context: " + e.getMessage());
        }
    }
}
