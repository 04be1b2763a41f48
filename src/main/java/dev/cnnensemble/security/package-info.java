/**
 * Who may do what: API keys or JWTs, two roles ({@code admin} for every change, {@code predict} for
 * predictions), open reads and predictions unless configured closed, CORS, security headers, and an
 * audit line for every mutating request. Features know nothing of it: it guards their paths.
 */
@NullMarked
package dev.cnnensemble.security;

import org.jspecify.annotations.NullMarked;
