package io.openlocal.csi.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that accepts a peer only when its chain is valid for the configured CA <b>and</b> its
 * certificate names an identity expected: the controller's (on the agent) or the dialled node's (on the
 * controller). A certificate from the same CA with another name is refused, so an agent cannot pose as the
 * controller, nor one node as another. The identity is a DNS name in the subject alternative names, or the
 * subject's CN when the certificate has no DNS names.
 */
public final class PeerIdentity extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager chain;
    private final List<String> expected;

    public PeerIdentity(X509ExtendedTrustManager chain, String expected) {
        this(chain, List.of(Objects.requireNonNull(expected, "expected")));
    }

    /** Accepts a peer naming any one of {@code expected} (the node API's allowed client names). */
    public PeerIdentity(X509ExtendedTrustManager chain, List<String> expected) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.expected = List.copyOf(expected);
        if (this.expected.isEmpty()) {
            throw new IllegalArgumentException("at least one expected peer identity is required");
        }
    }

    /** The identities a certificate carries: its DNS subject alternative names, else its CN. */
    public static List<String> identities(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.size() >= 2 && Integer.valueOf(2).equals(entry.get(0))) {
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                return List.of();
            }
        }
        return names;
    }

    private void requireIdentity(X509Certificate[] peer) throws CertificateException {
        List<String> names = identities(peer[0]);
        if (names.stream().noneMatch(expected::contains)) {
            throw new CertificateException("peer certificate names " + names + ", none of the expected " + expected);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] peer, String authType) throws CertificateException {
        chain.checkClientTrusted(peer, authType);
        requireIdentity(peer);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] peer, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(peer, authType, socket);
        requireIdentity(peer);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] peer, String authType, SSLEngine engine)
            throws CertificateException {
        chain.checkClientTrusted(peer, authType, engine);
        requireIdentity(peer);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] peer, String authType) throws CertificateException {
        chain.checkServerTrusted(peer, authType);
        requireIdentity(peer);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] peer, String authType, Socket socket) throws CertificateException {
        chain.checkServerTrusted(peer, authType, socket);
        requireIdentity(peer);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] peer, String authType, SSLEngine engine)
            throws CertificateException {
        chain.checkServerTrusted(peer, authType, engine);
        requireIdentity(peer);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
