package dev.cnnensemble.web;

/** The shape of the ids in URLs and bodies: jobs, and so models, are named by UUIDs. */
public final class Ids {

    public static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    private Ids() {
    }
}
