@NullMarked
package dev.cnnensemble.model.web;

import org.jspecify.annotations.NullMarked;
