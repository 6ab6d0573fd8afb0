export declare const explorerDir: string;
export declare const distDir: string;
export declare const stampFile: string;
export declare function explorerSourceHash(): string;
export declare function explorerBuildIsCurrent(): boolean;
