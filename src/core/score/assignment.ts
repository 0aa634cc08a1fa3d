// The scorer's name for the shared solver (src/core/math/assignment.ts), kept so existing
// imports keep working.
import { solveAssignment } from '../math/assignment';

/**
 * cost is row-major n×m. Returns for each row the assigned column, or −1 when n > m leaves the
 * row unassigned. Every row (if n ≤ m) or every column (if n > m) is assigned.
 */
export function minCostAssignment(cost: Float64Array, n: number, m: number): Int32Array {
  return solveAssignment(cost, n, m);
}
