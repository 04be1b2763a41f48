@NullMarked
package dev.cnnensemble.model;

import org.jspecify.annotations.NullMarked;
