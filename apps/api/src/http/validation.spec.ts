import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { createValidationPipe, RequestValidationError } from './validation';

class Inner {
  @IsInt() @Min(1) size: number;
}
class Outer {
  @IsString() name: string;
  @ValidateNested() @Type(() => Inner) inner: Inner;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();

  it('names nested fields and rejects unknown ones', async () => {
    const attempt = pipe.transform({ name: 3, inner: { size: 0 }, extra: true }, { type: 'body', metatype: Outer });
    await expect(attempt).rejects.toBeInstanceOf(RequestValidationError);
    const error = (await attempt.catch((e: unknown) => e)) as RequestValidationError;
    const fields = error.issues.map((i) => `${i.place.field}:${i.code}`).sort();
    expect(fields).toEqual(['extra:UNKNOWN_FIELD', 'inner.size:INVALID_MIN', 'name:INVALID_ISSTRING']);
  });

  it('passes and transforms a valid body', async () => {
    const value = (await pipe.transform({ name: 'a', inner: { size: 2 } }, { type: 'body', metatype: Outer })) as Outer;
    expect(value).toBeInstanceOf(Outer);
    expect(value.inner).toBeInstanceOf(Inner);
  });
});
