// Which networks a container can join with Connect to Network….
import type { ContainerRecord, NetworkRecord } from '../../contract/records';

/** Not one it is on, and not host or none (their mode is the container's whole network). */
export function joinable(n: NetworkRecord, c: ContainerRecord): boolean {
  return !c.networks.includes(n.id) && n.driver !== 'host' && n.driver !== 'null' && n.name !== 'none' && n.name !== 'host';
}
