package dev.cnnensemble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

import sun.misc.Signal;

/**
 * On SIGTERM and SIGINT, closes the application before the JVM starts its shutdown hooks. ONNX
 * Runtime releases its environment in a hook of its own, which runs beside Spring's: a pass still
 * inside a session then reads freed memory and the JVM crashes (exit 134). Closed first, Spring drains
 * the requests under way, finishes each model's passes and closes the sessions, so the release finds
 * nothing running. The exit code stays the JVM's own for the signal.
 */
final class CloseBeforeExit {

    private static final Logger log = LoggerFactory.getLogger(CloseBeforeExit.class);

    private CloseBeforeExit() {
    }

    static void install(ConfigurableApplicationContext context) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{}: closing the application before the JVM exits", signal.getName());
                context.close();
                System.exit(128 + signal.getNumber());
            });
        }
    }
}
