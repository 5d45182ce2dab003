/** What `/ping` reports. The product name follows the reference so clients detect the flavour. */
export const fluxgateVersion = {
  product: 'InfluxDB 3 Enterprise',
  version: '3.12.0',
  revision: 'fluxgate-0.1.0',
}
