package io.openlocal.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.openlocal.chart.template.TemplateEngine;
import io.openlocal.chart.template.Yaml;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

/** The node API's mutual TLS material: generated per install and kept on upgrade, or issued by cert-manager. */
class NodeApiTlsTest {

    private static final String SERVER_SECRET = "open-local-node-api-server-tls";
    private static final String CLIENT_SECRET = "open-local-node-api-client-tls";

    private static String data(RenderedChart chart, String secret, String key) {
        String encoded = chart.get("Secret", secret).body().path("data").path(key).asText();
        return new String(Base64.getDecoder().decode(encoded), StandardCharsets.US_ASCII);
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey pkcs1Key(String pem) throws Exception {
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        try (PEMParser parser = new PEMParser(new java.io.StringReader(pem))) {
            return new JcaPEMKeyConverter().getPrivateKey(((PEMKeyPair) parser.readObject()).getPrivateKeyInfo());
        }
    }

    private static void assertKeyMatches(X509Certificate cert, PrivateKey key) throws Exception {
        byte[] message = "node api".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(message);
        assertThat(verifier.verify(signature)).as("key belongs to %s", cert.getSubjectX500Principal()).isTrue();
    }

    private static List<String> dnsNames(X509Certificate cert) throws Exception {
        List<String> names = new ArrayList<>();
        if (cert.getSubjectAlternativeNames() != null) {
            cert.getSubjectAlternativeNames().forEach(n -> {
                if ((Integer) n.get(0) == 2) {
                    names.add((String) n.get(1));
                }
            });
        }
        return names;
    }

    @Test
    void installGeneratesACaAndAServerAndClientCertificateItSigned() throws Exception {
        RenderedChart chart = Charts.renderDefault();
        X509Certificate ca = certificate(data(chart, SERVER_SECRET, "ca.crt"));
        assertThat(data(chart, CLIENT_SECRET, "ca.crt")).isEqualTo(data(chart, SERVER_SECRET, "ca.crt"));
        assertThat(ca.getBasicConstraints()).as("CA").isGreaterThanOrEqualTo(0);

        X509Certificate server = certificate(data(chart, SERVER_SECRET, "tls.crt"));
        server.verify(ca.getPublicKey());
        assertThat(dnsNames(server)).containsExactly("open-local-node-api");
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertKeyMatches(server, pkcs1Key(data(chart, SERVER_SECRET, "tls.key")));

        X509Certificate client = certificate(data(chart, CLIENT_SECRET, "tls.crt"));
        client.verify(ca.getPublicKey());
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=open-local-csi-controller");
        assertThat(client.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        assertKeyMatches(client, pkcs1Key(data(chart, CLIENT_SECRET, "tls.key")));

        assertThat(chart.get("Secret", SERVER_SECRET).body().path("type").asText()).isEqualTo("kubernetes.io/tls");
    }

    @Test
    void theServicesAreConfiguredWithTheNamesInTheCertificates() throws Exception {
        RenderedChart chart = Charts.renderDefault();
        JsonNode node = WorkloadTest.config(chart, PodSpecs.container(chart, "open-local-agent", "csi-plugin"));
        JsonNode controller = WorkloadTest.config(chart,
                PodSpecs.container(chart, "open-local-csi-controller", "csi-plugin"));
        X509Certificate client = certificate(data(chart, CLIENT_SECRET, "tls.crt"));
        X509Certificate server = certificate(data(chart, SERVER_SECRET, "tls.crt"));
        assertThat(PodSpecs.texts(node.path("nodeApi").path("allowedClientNames")))
                .containsExactly(client.getSubjectX500Principal().getName().substring("CN=".length()));
        assertThat(dnsNames(server)).containsExactly(controller.path("nodeApi").path("serverName").asText());
        assertThat(controller.path("nodeApi").path("port").asInt()).isEqualTo(node.path("nodeApi").path("port").asInt())
                .isEqualTo(Contract.NODE_API_PORT);
    }

    @Test
    void upgradeKeepsTheCertificatesTheClusterAlreadyHas() {
        RenderedChart installed = Charts.renderDefault();
        Map<String, Map<String, Object>> live = new LinkedHashMap<>();
        for (String secret : List.of(SERVER_SECRET, CLIENT_SECRET)) {
            live.put(secret, asMap(installed.get("Secret", secret).body()));
        }
        TemplateEngine.Lookup cluster = (apiVersion, kind, namespace, name) ->
                apiVersion.equals("v1") && kind.equals("Secret") && namespace.equals(Charts.NAMESPACE)
                        && live.containsKey(name) ? live.get(name) : new LinkedHashMap<>();
        RenderedChart upgraded = Charts.renderer().render(
                new ChartRenderer.Release("open-local", Charts.NAMESPACE, true), cluster, List.of());
        for (String secret : List.of(SERVER_SECRET, CLIENT_SECRET)) {
            assertThat(upgraded.get("Secret", secret).body().path("data"))
                    .isEqualTo(installed.get("Secret", secret).body().path("data"));
        }
    }

    @Test
    void withOnlyOneSecretLeftBothAreMadeAgainFromOneNewCa() throws Exception {
        RenderedChart installed = Charts.renderDefault();
        Map<String, Object> serverOnly = asMap(installed.get("Secret", SERVER_SECRET).body());
        TemplateEngine.Lookup cluster = (apiVersion, kind, namespace, name) ->
                name.equals(SERVER_SECRET) ? serverOnly : new LinkedHashMap<>();
        RenderedChart upgraded = Charts.renderer().render(
                new ChartRenderer.Release("open-local", Charts.NAMESPACE, true), cluster, List.of());
        assertThat(data(upgraded, SERVER_SECRET, "ca.crt")).isNotEqualTo(data(installed, SERVER_SECRET, "ca.crt"))
                .isEqualTo(data(upgraded, CLIENT_SECRET, "ca.crt"));
        X509Certificate ca = certificate(data(upgraded, CLIENT_SECRET, "ca.crt"));
        certificate(data(upgraded, CLIENT_SECRET, "tls.crt")).verify(ca.getPublicKey());
        certificate(data(upgraded, SERVER_SECRET, "tls.crt")).verify(ca.getPublicKey());
    }

    @Test
    void certManagerIssuesBothCertificatesFromAChartOwnedCa() {
        RenderedChart chart = ValueSets.render("optional-features");
        assertThat(chart.find("Secret", SERVER_SECRET)).as("cert-manager writes the secrets").isEmpty();
        JsonNode server = chart.get("Certificate", SERVER_SECRET).body().path("spec");
        JsonNode client = chart.get("Certificate", CLIENT_SECRET).body().path("spec");
        assertThat(server.path("secretName").asText()).isEqualTo(SERVER_SECRET);
        assertThat(PodSpecs.texts(server.path("dnsNames"))).containsExactly("open-local-node-api");
        assertThat(PodSpecs.texts(server.path("usages"))).contains("server auth");
        assertThat(client.path("secretName").asText()).isEqualTo(CLIENT_SECRET);
        assertThat(client.path("commonName").asText()).isEqualTo("open-local-csi-controller");
        assertThat(PodSpecs.texts(client.path("usages"))).contains("client auth");
        String issuer = server.path("issuerRef").path("name").asText();
        assertThat(client.path("issuerRef").path("name").asText()).isEqualTo(issuer);
        String caSecret = chart.get("Issuer", issuer).body().path("spec").path("ca").path("secretName").asText();
        JsonNode caCertificate = chart.ofKind("Certificate").stream()
                .filter(c -> c.body().path("spec").path("secretName").asText().equals(caSecret)).findFirst()
                .orElseThrow().body().path("spec");
        assertThat(caCertificate.path("isCA").asBoolean()).isTrue();
        String selfSigned = caCertificate.path("issuerRef").path("name").asText();
        assertThat(chart.get("Issuer", selfSigned).body().path("spec").has("selfSigned")).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonNode node) {
        return Yaml.mapper().convertValue(node, Map.class);
    }
}
