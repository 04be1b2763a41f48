package dev.cnnensemble.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import java.nio.file.Path;
import java.util.Map;

/**
 * The chart through the real Helm that {@link HelmChartTest} uses (3.16, bundled by helm-java), for
 * people too: {@code bin/helm-check [--set key=value ...] [-f values.yaml]} lints the chart in strict
 * mode and prints what it renders with those values, with no helm to install.
 */
public final class HelmCheck {

    static final Path CHART = Path.of("helm", "cnn-ensemble-service");

    private HelmCheck() {
    }

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** {@code helm template cnn} with the given {@code --set} values. */
    static TemplateCommand template(Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName("cnn");
        values.forEach(template::set);
        return template;
    }

    public static void main(String[] args) {
        LintResult lint = lint();
        lint.getMessages().forEach(System.err::println);
        if (lint.isFailed()) {
            fail("helm lint --strict failed");
        }
        TemplateCommand template = template(Map.of());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--set" -> {
                    String[] pair = args[++i].split("=", 2);
                    template.set(pair[0], pair[1]);
                }
                case "-f", "--values" -> template.withValuesFile(Path.of(args[++i]));
                default -> fail("unknown option " + args[i] + "; use --set key=value or -f values.yaml");
            }
        }
        try {
            System.out.print(template.call());
        } catch (IllegalStateException e) {
            // Helm's own message: a value the schema refuses, or a template's fail, is the whole story.
            fail(e.getMessage());
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }
}
