@NullMarked
package dev.cnnensemble.support;

import org.jspecify.annotations.NullMarked;
