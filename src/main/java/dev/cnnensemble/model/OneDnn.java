package dev.cnnensemble.model;

/**
 * Turns DL4J's oneDNN layer helpers on. DL4J disables them unless this system property is
 * {@code false}; the other half of the fix is the {@code org.nd4j.nativeblas.Nd4jCpu} shim that
 * lets M2.1's helper check find the native environment again. Only the {@code onednn} classifier of
 * nd4j-native contains oneDNN, so on other backends the helpers stay off without harm.
 */
public final class OneDnn {

    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

    private OneDnn() {
    }

    /** Sets the default unless the user chose otherwise on the command line. */
    public static void enableHelpersUnlessConfigured() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
    }
}
