import { Field, ObjectType } from 'type-graphql';
import { Quantity } from '../validation/index.js';
import { ShadowComparisonType } from './shadow-comparison.type.js';
import { SAMPLES_PER_FEATURE, type FeatureShadowReport, type ShadowReportView } from './shadow.service.js';

/** GraphQL: agreement of one feature, with its newest disagreements. */
@ObjectType('ShadowFeatureReport')
export class ShadowFeatureReportType {
  @Field(() => String, { description: 'The feature key.' })
  feature!: string;

  @Field(() => Quantity)
  compared!: number;

  @Field(() => Quantity)
  agreed!: number;

  @Field(() => Quantity)
  disagreed!: number;

  @Field(() => Quantity, { description: 'Disagreements on access (ACCESS): the ones a customer would notice.' })
  accessDisagreements!: number;

  @Field(() => Quantity, { description: 'Disagreements on the limit only (LIMIT).' })
  limitDisagreements!: number;

  @Field(() => [ShadowComparisonType], { description: `The newest disagreements, newest first, at most ${SAMPLES_PER_FEATURE}.` })
  samples!: ShadowComparisonType[];

  static from(report: FeatureShadowReport): ShadowFeatureReportType {
    return Object.assign(new ShadowFeatureReportType(), {
      feature: report.featureKey,
      compared: report.compared,
      agreed: report.agreed,
      disagreed: report.disagreed,
      accessDisagreements: report.accessDisagreements,
      limitDisagreements: report.limitDisagreements,
      samples: report.samples.map((sample) => ShadowComparisonType.from(sample)),
    });
  }
}

/**
 * GraphQL: how often Tollgate agreed with the legacy check. Counts are Quantity, not Int:
 * comparing every request passes 2^31 comparisons within weeks.
 */
@ObjectType('ShadowReport')
export class ShadowReportType {
  @Field(() => Quantity)
  compared!: number;

  @Field(() => Quantity)
  agreed!: number;

  @Field(() => Quantity)
  disagreed!: number;

  @Field(() => Quantity)
  accessDisagreements!: number;

  @Field(() => Quantity)
  limitDisagreements!: number;

  @Field(() => [ShadowFeatureReportType], { description: 'One entry per feature compared, by key.' })
  byFeature!: ShadowFeatureReportType[];

  static from(report: ShadowReportView): ShadowReportType {
    return Object.assign(new ShadowReportType(), {
      compared: report.compared,
      agreed: report.agreed,
      disagreed: report.disagreed,
      accessDisagreements: report.accessDisagreements,
      limitDisagreements: report.limitDisagreements,
      byFeature: report.byFeature.map((feature) => ShadowFeatureReportType.from(feature)),
    });
  }
}
