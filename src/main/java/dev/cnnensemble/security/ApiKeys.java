package dev.cnnensemble.security;

import dev.cnnensemble.support.Checksums;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys this replica accepts: the configured ones; or, when neither keys nor a JWT issuer
 * are configured, one admin key generated into {@code <data-dir>/api-key} (mode 0600) on the first
 * start, as TorchServe does with its key file. Replicas sharing the volume share that key.
 */
final class ApiKeys {

    static final String FILE_NAME = "api-key";
    static final String GENERATED_KEY_NAME = "generated-admin";

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final List<Entry> entries;

    /** The configured keys, or the generated one when neither keys nor a JWT issuer are configured. */
    static ApiKeys of(SecurityProperties security, Path dataDir, boolean jwtConfigured) {
        if (!security.enabled() || !security.apiKeys().isEmpty() || jwtConfigured) {
            return new ApiKeys(security.enabled() ? security.apiKeys() : List.of());
        }
        return new ApiKeys(List.of(new ApiKey(GENERATED_KEY_NAME, Role.ADMIN, readOrGenerate(dataDir.resolve(FILE_NAME)))));
    }

    ApiKeys(List<ApiKey> keys) {
        requireDistinct(keys);
        this.entries = keys.stream().map(key -> new Entry(key, sha256(key.key()))).toList();
    }

    /**
     * The key whose secret this is. Every key is compared, each in constant time on the secrets'
     * digests, so the time taken tells nothing of how much of a secret matched, or which.
     */
    Optional<ApiKey> find(String presented) {
        byte[] digest = sha256(presented);
        ApiKey found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest, digest)) {
                found = entry.key;
            }
        }
        return Optional.ofNullable(found);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Generates the key file once: written aside, then linked into place, so that racing replicas agree on one key. */
    static String readOrGenerate(Path file) {
        try {
            if (Files.notExists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path draft = Files.createTempFile(file.toAbsolutePath().getParent(), ".api-key-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    byte[] secret = new byte[32];
                    new SecureRandom().nextBytes(secret);
                    Files.writeString(draft, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
                    Files.createLink(file, draft);
                    log.info("No API key is configured: generated an admin key into {} (mode 0600). Send it as "
                            + "'Authorization: Bearer <key>'; README, Security, says how to configure keys instead.", file);
                } catch (FileAlreadyExistsException anotherReplicaWasFirst) {
                    // Its key is the one.
                } finally {
                    Files.deleteIfExists(draft);
                }
            } else {
                log.info("No API key is configured: the admin key is in {}. Send it as 'Authorization: Bearer <key>'.", file);
            }
            String key = Files.readString(file).trim();
            if (key.length() < ApiKey.MIN_LENGTH) {
                throw new IllegalStateException("the API key file " + file + " holds no key; delete it to have a new one generated");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API key file " + file, e);
        }
    }

    private static void requireDistinct(List<ApiKey> keys) {
        var names = new HashSet<String>();
        var secrets = new HashSet<String>();
        for (ApiKey key : keys) {
            if (!names.add(key.name())) {
                throw new IllegalArgumentException("two API keys are named '" + key.name() + "'; the audit log tells them apart by name");
            }
            if (!secrets.add(key.key())) {
                throw new IllegalArgumentException("the API key named '" + key.name() + "' has the same secret as another");
            }
        }
    }

    private static byte[] sha256(String secret) {
        return Checksums.sha256(secret).getBytes(StandardCharsets.US_ASCII);
    }

    private record Entry(ApiKey key, byte[] digest) {
    }
}
