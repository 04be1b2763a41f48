package dev.cnnensemble.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The two roles. An admin may also predict (the role hierarchy says so). */
public enum Role {
    /** Every mutating request: jobs, cancel, resume, delete, the default model, datasets. */
    ADMIN,
    /** {@code POST /predict}, when predictions are closed to anonymous clients. */
    PREDICT;

    GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    /** {@code admin} or {@code predict}, in any case; anything else is no role. */
    static Optional<Role> named(String name) {
        return Arrays.stream(values()).filter(role -> role.name().equals(name.trim().toUpperCase(Locale.ROOT))).findFirst();
    }
}
