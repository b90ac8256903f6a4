import reference from '../monitoring/reference/field-offices.json';

/**
 * The 25 ICE field offices and the states their areas cover, from the reference data the server loads
 * (bundled: nothing is fetched). `partOf` names the states the office shares with others (split by ZIP prefix).
 */
export const officeAreas = reference.offices.map((office) => ({
  code: office.code,
  name: office.name,
  states: [...new Set(office.areas.map((area) => area.state))],
  partOf: office.areas.filter((area) => area.zip3 !== '*').map((area) => area.state),
}));
