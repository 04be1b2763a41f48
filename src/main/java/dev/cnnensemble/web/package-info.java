@NullMarked
package dev.cnnensemble.web;

import org.jspecify.annotations.NullMarked;
