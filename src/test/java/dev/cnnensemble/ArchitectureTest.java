package dev.cnnensemble;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries of ARCHITECTURE.md that Spring Modulith does not check (see ModularityTest), on the compiled classes. */
@AnalyzeClasses(packages = "dev.cnnensemble", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheEngineTouchesDl4j = noClasses()
            .that().resideOutsideOfPackages("dev.cnnensemble.model..", "dev.cnnensemble..dl4j..")
            .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
            .because("DL4J lives in model and the dl4j adapters, behind TrainingEngine and InferenceEngine; payloads never carry INDArray");

    @ArchTest
    static final ArchRule onlyTheOnnxEngineTouchesOnnxRuntime = noClasses()
            .that().resideOutsideOfPackage("dev.cnnensemble.inference.onnx..")
            .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
            .because("ONNX Runtime lives behind InferenceEngine, in inference.onnx");

    @ArchTest
    static final ArchRule jobsTalkToTrainingThroughTheEngineInterface = noClasses()
            .that().resideInAPackage("..jobs..")
            .should().dependOnClassesThat().resideInAPackage("..training.dl4j..")
            .because("jobs use TrainingEngine only, so a test can stand in for it and checkpoints have one owner");

    @ArchTest
    static final ArchRule onlyWebPackagesUseSpringMvc = noClasses()
            .that().resideOutsideOfPackages("dev.cnnensemble..web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web.servlet..")
            .because("features publish events and return views; controllers and streams turn them into HTTP");

    @ArchTest
    static final ArchRule webCodeStaysAtTheEdge = noClasses()
            .that().resideOutsideOfPackages("dev.cnnensemble..web..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.cnnensemble..web..")
            .because("features do not depend on their controllers");
}
