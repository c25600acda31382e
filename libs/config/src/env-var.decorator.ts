/**
 * Documentation metadata for environment variables. The schema class carries it beside the
 * validation rules, so `docs/configuration.md` and the boot-time checks never drift apart.
 */
export interface EnvVarDoc {
  /** One line: what the variable controls. */
  description: string;
  /** Default shown in the docs; `undefined` means "unset unless given". */
  defaultValue?: string;
  /** Free text saying when the variable is required (e.g. "in production"). */
  required?: string;
  /** Secret values are never echoed in errors, logs or docs. */
  secret?: boolean;
}

export interface EnvVarEntry extends EnvVarDoc {
  name: string;
}

/** A schema class; only its identity is used. */
export type EnvSchemaClass = abstract new (...args: never[]) => object;

const registry = new Map<EnvSchemaClass, EnvVarEntry[]>();

/** Marks a property of an environment schema class as an environment variable and documents it. */
export function EnvVar(doc: EnvVarDoc): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) => {
    const owner = target.constructor as EnvSchemaClass;
    const entries = registry.get(owner) ?? [];
    entries.push({ name: String(propertyKey), ...doc });
    registry.set(owner, entries);
  };
}

/** The documented variables of a schema class, in declaration order. */
export function envVarsOf(schema: EnvSchemaClass): readonly EnvVarEntry[] {
  return registry.get(schema) ?? [];
}
