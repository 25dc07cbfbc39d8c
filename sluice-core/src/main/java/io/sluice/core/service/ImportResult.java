package io.sluice.core.service;

import java.util.List;

/**
 * What an import of variables or connections did.
 *
 * @param imported the keys written
 * @param skipped the keys left alone because they existed already
 * @param total how many the file held
 */
public record ImportResult(List<String> imported, List<String> skipped, int total) {}
