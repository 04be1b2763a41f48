package dev.cnnensemble.security;

/**
 * One API key: the name that the audit log shows, its role, and the secret that clients send as
 * {@code Authorization: Bearer <key>}. The secret never appears in {@link #toString()}.
 */
public record ApiKey(String name, Role role, String key) {

    static final int MIN_LENGTH = 16;

    public ApiKey {
        if (name.isBlank() || !name.matches("[\\w.@-]+")) {
            throw new IllegalArgumentException("an API key's name is letters, digits and . _ - @, not '" + name + "'");
        }
        if (key.length() < MIN_LENGTH || key.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the API key named '" + name + "' must be at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
    }

    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", role=" + role + ", key=(hidden)]";
    }
}
