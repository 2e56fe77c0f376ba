// Node.js, import: the same instance as require() gets (see node.cjs).
import api from "./node.cjs";

export const { Destination, map, mapBatch, mapJson, validate, transform, validateMapping, limits, version, codes } = api;
