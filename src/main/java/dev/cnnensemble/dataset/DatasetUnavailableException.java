package dev.cnnensemble.dataset;

/** No source could deliver a verified copy of a dataset; the message lists what each source said. */
public class DatasetUnavailableException extends RuntimeException {

    public DatasetUnavailableException(String message) {
        super(message);
    }
}
