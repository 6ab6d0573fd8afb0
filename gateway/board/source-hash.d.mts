export declare const boardDir: string;
export declare const distDir: string;
export declare const stampFile: string;
export declare function boardSourceHash(): string;
export declare function boardBuildIsCurrent(): boolean;
