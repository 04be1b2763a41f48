@NullMarked
package dev.cnnensemble.jobs;

import org.jspecify.annotations.NullMarked;
