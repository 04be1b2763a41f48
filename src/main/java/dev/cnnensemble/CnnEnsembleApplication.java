package dev.cnnensemble;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CnnEnsembleApplication {

    public static void main(String[] args) {
        CloseBeforeExit.install(SpringApplication.run(CnnEnsembleApplication.class, args));
    }
}
