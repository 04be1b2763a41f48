@NullMarked
package dev.cnnensemble.config;

import org.jspecify.annotations.NullMarked;
