package io.axon.buffer;

import java.util.List;

/**
 * What one {@code load} or {@code register} call of {@link BufferKindRegistry} or {@link
 * Transcoders} did.
 *
 * @param added the class names of the providers or transcoders newly added, in the order found
 * @param problems the problems found while adding them (the registry's {@code problems()} keeps
 *     them too)
 */
public record LoadResult(List<String> added, List<RegistryProblem> problems) {

  /**
   * Copies the lists.
   *
   * @param added the class names newly added
   * @param problems the problems found
   */
  public LoadResult {
    added = List.copyOf(added);
    problems = List.copyOf(problems);
  }
}
