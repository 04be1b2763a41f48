package dev.cnnensemble;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The features as Spring Modulith modules: no cycles between them, and each uses only the others' APIs. */
class ModularityTest {

    static final ApplicationModules MODULES = ApplicationModules.of(CnnEnsembleApplication.class);

    @Test
    void theModulesHaveNoCyclesAndUseOnlyEachOthersApi() {
        MODULES.verify();
    }
}
