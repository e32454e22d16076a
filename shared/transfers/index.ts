export * from './image-format';
export * from './progress';
export * from './volume-xml';
export * from './room';
