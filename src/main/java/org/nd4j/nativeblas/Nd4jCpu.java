package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Workaround for DL4J 1.0.0-M2.1, where {@code BaseMKLDNNHelper.mklDnnEnabled()} reflects on this
 * class, which the release renamed to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} (and
 * {@code isUseMKLDNN} to {@code isUseONEDNN}). Without it every oneDNN layer helper is rejected and
 * training runs about 5x slower. It reaches the renamed class reflectively so that the CUDA build,
 * which lacks it, still compiles. See {@code dev.cnnensemble.model.OneDnn}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    public static final class Environment {

        private static final String RENAMED = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> renamed = Class.forName(RENAMED);
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Object environment = lookup.findStatic(renamed, "getInstance", MethodType.methodType(renamed)).invoke();
                MethodHandle useOneDnn = lookup.findVirtual(renamed, "isUseONEDNN", MethodType.methodType(boolean.class));
                return (boolean) useOneDnn.invoke(environment);
            } catch (Throwable notTheCpuBackend) {
                return false;
            }
        }
    }
}
