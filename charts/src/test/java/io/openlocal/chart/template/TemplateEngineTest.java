package io.openlocal.chart.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renderer follows Go text/template and sprig where a chart's output depends on it. */
class TemplateEngineTest {

    private static String render(String template, Map<String, Object> values) {
        TemplateEngine engine = new TemplateEngine((a, k, n, name) -> new LinkedHashMap<>());
        engine.addTemplate("t", template);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Values", values);
        data.put("Release", Map.of("Namespace", "ns", "Name", "rel"));
        return engine.execute("t", data);
    }

    private static String render(String template) {
        return render(template, Yaml.readValues("""
                name: open-local
                port: 23000
                big: 1000000
                ratio: 0.5
                empty: ""
                zero: 0
                on: true
                off: false
                list: [b, a]
                map: {z: 1, a: 2}
                nested: {inner: {value: x}}
                """));
    }

    @Test
    void trimMarkersRemoveWhiteSpaceOnTheirSideOnly() {
        assertThat(render("a  \n  {{- \"b\" -}}  \n  c")).isEqualTo("abc");
        assertThat(render("a {{ \"b\" }} c")).isEqualTo("a b c");
        assertThat(render("a\n{{- /* gone */}}\nb")).isEqualTo("a\nb");
    }

    @Test
    void valuesNumbersPrintAsGoPrintsFloat64() {
        assertThat(render("{{ .Values.port }}")).isEqualTo("23000");
        assertThat(render("{{ .Values.big }}")).isEqualTo("1e+06");
        assertThat(render("{{ .Values.big | int }}")).isEqualTo("1000000");
        assertThat(render("{{ .Values.ratio }}")).isEqualTo("0.5");
    }

    @Test
    void ifTreatsEmptyValuesAsFalse() {
        assertThat(render("{{ if .Values.empty }}y{{ else }}n{{ end }}")).isEqualTo("n");
        assertThat(render("{{ if .Values.zero }}y{{ else if .Values.on }}on{{ else }}n{{ end }}")).isEqualTo("on");
        assertThat(render("{{ if .Values.missing }}y{{ else }}n{{ end }}")).isEqualTo("n");
        assertThat(render("{{ if and .Values.on .Values.off }}y{{ else }}n{{ end }}")).isEqualTo("n");
        assertThat(render("{{ if or .Values.off .Values.list }}y{{ end }}")).isEqualTo("y");
    }

    @Test
    void andStopsBeforeEvaluatingFieldsOfAMissingValue() {
        assertThat(render("{{ if and .Values.missing .Values.missing.deeper }}y{{ else }}n{{ end }}"))
                .isEqualTo("n");
    }

    @Test
    void fieldOfAMissingValueIsAnErrorAsInHelm() {
        assertThatThrownBy(() -> render("{{ .Values.missing.deeper }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("nil pointer evaluating interface {}.deeper");
    }

    @Test
    void comparingAValuesNumberWithAnIntegerLiteralIsAnErrorAsInGo() {
        assertThatThrownBy(() -> render("{{ if eq .Values.port 23000 }}y{{ end }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("incompatible types for comparison");
        assertThat(render("{{ if eq (int .Values.port) 23000 }}y{{ end }}")).isEqualTo("y");
        assertThat(render("{{ if gt (int .Values.port) 1 }}y{{ end }}")).isEqualTo("y");
    }

    @Test
    void rangeOverAMapVisitsKeysInOrder() {
        assertThat(render("{{ range $k, $v := .Values.map }}{{ $k }}={{ $v }};{{ end }}")).isEqualTo("a=2;z=1;");
        assertThat(render("{{ range .Values.list }}{{ . }}{{ end }}")).isEqualTo("ba");
        assertThat(render("{{ range $i, $v := .Values.list }}{{ $i }}{{ $v }}{{ end }}")).isEqualTo("0b1a");
        assertThat(render("{{ range .Values.missing }}x{{ else }}none{{ end }}")).isEqualTo("none");
    }

    @Test
    void dollarStaysTheRootInsideRangeAndWith() {
        assertThat(render("{{ range .Values.list }}{{ $.Values.name }}{{ end }}")).isEqualTo("open-localopen-local");
        assertThat(render("{{ with .Values.nested.inner }}{{ .value }}{{ $.Release.Namespace }}{{ end }}"))
                .isEqualTo("xns");
    }

    @Test
    void variablesAreScopedAndAssignable() {
        assertThat(render("{{ $x := \"a\" }}{{ if true }}{{ $x = \"b\" }}{{ $y := 1 }}{{ end }}{{ $x }}"))
                .isEqualTo("b");
        assertThatThrownBy(() -> render("{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}"))
                .hasMessageContaining("undefined variable $y");
    }

    @Test
    void includeRendersNamedTemplatesWithTheirOwnDot() {
        String template = "{{- define \"x.name\" -}}{{ .Values.name }}-agent{{- end -}}"
                + "{{- define \"x.pair\" -}}{{ .a }}/{{ .b }}{{- end -}}"
                + "{{ include \"x.name\" . }} {{ include \"x.pair\" (dict \"a\" 1 \"b\" \"two\") }}";
        assertThat(render(template)).isEqualTo("open-local-agent 1/two");
    }

    @Test
    void toYamlNindentAndQuoteProduceHelmText() {
        assertThat(render("m:{{ toYaml .Values.map | nindent 2 }}")).isEqualTo("m:\n  a: 2\n  z: 1");
        assertThat(render("l:{{ toYaml .Values.list | nindent 2 }}")).isEqualTo("l:\n  - b\n  - a");
        assertThat(render("{{ .Values.port | quote }} {{ quote \"a\\\"b\" }}")).isEqualTo("\"23000\" \"a\\\"b\"");
        assertThat(render("{{ default \"d\" .Values.empty }} {{ default \"d\" .Values.name }}"))
                .isEqualTo("d open-local");
        assertThat(render("{{ printf \"%s-%s:%v\" .Values.name \"x\" .Values.port }}")).isEqualTo("open-local-x:23000");
        assertThat(render("{{ dir \"/var/tmp/spdk.sock\" }}")).isEqualTo("/var/tmp");
    }

    @Test
    void unknownFunctionsAndUnclosedBlocksAreErrors() {
        assertThatThrownBy(() -> render("{{ nosuch 1 }}")).hasMessageContaining("function \"nosuch\" not defined");
        assertThatThrownBy(() -> render("{{ if true }}x")).hasMessageContaining("has no {{end}}");
        assertThatThrownBy(() -> render("{{ required \"need a value\" .Values.empty }}"))
                .hasMessageContaining("need a value");
        assertThatThrownBy(() -> render("{{ fail \"stop\" }}")).hasMessageContaining("stop");
    }

    @Test
    void genSignedCertIsSignedByTheGeneratedCa() throws Exception {
        Map<String, Object> ca = Certificates.generateCa("ca", 10);
        Map<String, Object> leaf = Certificates.generateSigned("leaf", null, List.of("leaf.example"), 10, ca);
        var caCert = Certificates.parseCertificate((String) ca.get("Cert"));
        var leafCert = Certificates.parseCertificate((String) leaf.get("Cert"));
        leafCert.verify(caCert.getPublicKey());
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(leafCert.getBasicConstraints()).isEqualTo(-1);
        assertThat(leafCert.getSubjectAlternativeNames().stream().map(n -> (Object) n.get(1)).toList())
                .containsExactly("leaf.example");
        assertThat((String) leaf.get("Key")).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Certificates.parsePrivateKey((String) leaf.get("Key")).getAlgorithm()).isEqualTo("RSA");
    }
}
