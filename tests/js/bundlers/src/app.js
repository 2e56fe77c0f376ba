// The app as most users write it: the package's default entries, chosen by the bundler's
// conditions (browser, node, edge-light), for full and lite.
import * as full from "astrolabe-segment";
import * as lite from "astrolabe-segment/lite";
import { exercise, report } from "./exercise.js";

report({ full: exercise(full), lite: exercise(lite) });
