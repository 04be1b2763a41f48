package dev.cnnensemble.web;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link ProblemReportValve} where Tomcat's host would put its HTML error report. Spring Boot
 * adds an HTML one of its own (to hide stack traces), and Tomcat reports a request it refuses early
 * with the first error report in the host's pipeline, so this one must be the only one.
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            StandardHost host = (StandardHost) context.getParent();
            Pipeline pipeline = host.getPipeline();
            for (Valve valve : pipeline.getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                    pipeline.removeValve(valve);
                }
            }
            host.setErrorReportValveClass(ProblemReportValve.class.getName());
        });
    }
}
