// The register of exclusive parts (专有部分): import, verify owners, list.
export const registerActions = {};
