import { Field, ID, ObjectType } from 'type-graphql';
import { FeatureKind } from './catalog.enums.js';
import type { Feature } from './feature.entity.js';

/** GraphQL: a feature of the catalog. */
@ObjectType('Feature', { description: 'Something an account can be allowed to do or to have a quantity of.' })
export class FeatureType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The stable key the product checks, such as "api_calls".' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => FeatureKind)
  kind!: keyof typeof FeatureKind;

  @Field(() => String, { nullable: true, description: 'What is counted: "calls", "seats", "MB".' })
  unit!: string | null;

  @Field(() => [String], { description: 'Keys of features that must also be accessible for this one to be.' })
  requires!: string[];

  @Field(() => Date)
  createdAt!: Date;

  static from(feature: Feature): FeatureType {
    return Object.assign(new FeatureType(), {
      id: feature.id,
      key: feature.key,
      name: feature.name,
      description: feature.description,
      kind: feature.kind,
      unit: feature.unit,
      requires: feature.requires,
      createdAt: feature.createdAt,
    });
  }
}
