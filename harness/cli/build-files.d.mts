/** Types of build-files.mjs (plain JavaScript, so that it runs before anything is compiled). */

/** The package root, with a trailing separator. */
export declare const packageRoot: string;
/** The build folder's name under the package root: `dist`. */
export declare const buildDirName: string;
/** The stamp a build writes last, in the build folder: `build.json`. */
export declare const stampName: string;
/** Relative paths (with '/') of every file under harness/: TypeScript sources and other files. */
export declare function listHarnessFiles(root?: string): { sources: string[]; others: string[] };
/** True when the build folder holds a complete build newer than every TypeScript source. */
export declare function isBuildFresh(root?: string): boolean;
