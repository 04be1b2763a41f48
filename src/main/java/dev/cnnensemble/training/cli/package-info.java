@NullMarked
package dev.cnnensemble.training.cli;

import org.jspecify.annotations.NullMarked;
