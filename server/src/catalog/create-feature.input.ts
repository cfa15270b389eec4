import { Field, InputType } from 'type-graphql';
import { FeatureKind } from './catalog.enums.js';
import type { CreateFeatureValues } from './catalog.validation.js';

/** GraphQL input of createFeature. */
@InputType('CreateFeatureInput')
export class CreateFeatureInput implements CreateFeatureValues {
  @Field(() => String, { description: 'Lowercase slug: [a-z][a-z0-9_.-]{0,63}.' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FeatureKind)
  kind!: keyof typeof FeatureKind;

  @Field(() => String, { nullable: true })
  unit?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Existing feature keys this one depends on.' })
  requires?: string[] | null;
}
