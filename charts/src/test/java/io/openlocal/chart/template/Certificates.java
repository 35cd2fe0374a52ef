package io.openlocal.chart.template;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Helm's genCA and genSignedCert (sprig), for real: RSA 2048 keys written as PKCS#1 PEM ("RSA PRIVATE KEY"),
 * SHA-256 signatures, the key usages sprig sets (leaf: digital signature + key encipherment, server and client
 * auth; CA: plus cert sign, basic constraints CA). Results are maps with Cert and Key, as the chart reads them.
 * Generating RSA keys takes up to a second each on a busy machine, so keys come from a small pool made once
 * per JVM and handed out in turn (a CA and the two certificates of one render still get three different
 * keys); certificates, serial numbers and validity are new on every call.
 */
final class Certificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int POOL_SIZE = 3;
    private static final List<KeyPair> POOL = new ArrayList<>();
    private static int next;

    private Certificates() {
    }

    static Map<String, Object> generateCa(String commonName, long days) {
        KeyPair keys = rsaKeys();
        X509Certificate cert = build(commonName, List.of(), List.of(), days, keys, null, keys.getPrivate(), true);
        return pair(cert, keys.getPrivate());
    }

    static Map<String, Object> generateSigned(String commonName, List<?> ips, List<?> dnsNames, long days,
            Object ca) {
        if (!(ca instanceof Map<?, ?> caMap) || !(caMap.get("Cert") instanceof String caCert)
                || !(caMap.get("Key") instanceof String caKey)) {
            throw new TemplateException("genSignedCert: the CA argument must be the result of genCA");
        }
        KeyPair keys = rsaKeys();
        X509Certificate issuer = parseCertificate(caCert);
        PrivateKey issuerKey = parsePrivateKey(caKey);
        List<String> ipTexts = ips == null ? List.of() : ips.stream().map(GoValues::str).toList();
        List<String> dnsTexts = dnsNames == null ? List.of() : dnsNames.stream().map(GoValues::str).toList();
        X509Certificate cert = build(commonName, ipTexts, dnsTexts, days, keys, issuer, issuerKey, false);
        return pair(cert, keys.getPrivate());
    }

    static X509Certificate parseCertificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new TemplateException("not a PEM certificate");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (TemplateException e) {
            throw e;
        } catch (Exception e) {
            throw new TemplateException("cannot read PEM certificate: " + e.getMessage(), e);
        }
    }

    /** Reads PKCS#1 ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") PEM. */
    static PrivateKey parsePrivateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair keyPair) {
                return converter.getPrivateKey(keyPair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new TemplateException("not a PEM private key");
        } catch (TemplateException e) {
            throw e;
        } catch (Exception e) {
            throw new TemplateException("cannot read PEM private key: " + e.getMessage(), e);
        }
    }

    private static synchronized KeyPair rsaKeys() {
        if (POOL.size() < POOL_SIZE) {
            POOL.add(newRsaKeys());
        }
        return POOL.get(next++ % POOL_SIZE);
    }

    private static KeyPair newRsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new TemplateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(String commonName, List<String> ips, List<String> dnsNames, long days,
            KeyPair keys, X509Certificate issuer, PrivateKey signingKey, boolean ca) {
        try {
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    new BigInteger(128, RANDOM), Date.from(now), Date.from(now.plus(Duration.ofDays(days))),
                    subject, keys.getPublic());
            int usage = KeyUsage.keyEncipherment | KeyUsage.digitalSignature | (ca ? KeyUsage.keyCertSign : 0);
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            List<GeneralName> names = new ArrayList<>();
            for (String dns : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            for (String ip : ips) {
                if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                    throw new TemplateException("genSignedCert: '" + ip + "' is not an IP address");
                }
                InetAddress.getByName(ip);
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            }
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(signingKey));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (Exception e) {
            throw new TemplateException("cannot make certificate " + commonName + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> pair(X509Certificate cert, PrivateKey key) {
        try {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("Cert", pem("CERTIFICATE", cert.getEncoded()));
            byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive()
                    .getEncoded();
            result.put("Key", pem("RSA PRIVATE KEY", pkcs1));
            return result;
        } catch (Exception e) {
            throw new TemplateException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        out.write("-----BEGIN " + type + "-----\n");
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        out.write(body);
        out.write("\n-----END " + type + "-----\n");
        return out.toString();
    }
}
