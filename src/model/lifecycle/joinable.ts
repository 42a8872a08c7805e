// Which networks a container can join with Connect to Network….
import type { ContainerRecord, NetworkRecord } from '../../contract/records';
import { onNetwork } from '../usage';

/** Not one it is on, and not host or none (their mode is the container's whole network). */
export function joinable(n: NetworkRecord, c: ContainerRecord): boolean {
  return !onNetwork(c, n) && n.driver !== 'host' && n.driver !== 'null' && n.name !== 'none' && n.name !== 'host';
}
