-- The indicator catalogue (docs/spec/indicators.md) as data: names, units, kind, and for the
-- outcome indicators the numerator measure, the denominator measure and its conversion to the
-- catalogue's denominator unit: denominator = statistic × denominator_scale_mult / denominator_scale_div,
-- value = numerator × multiplier / denominator. blocking_measure: an event measure that must sum
-- to 0 in the region-year for the value to be known.
with

catalogue as (

    select * from (values
        ('safety_deaths', '生产安全事故死亡人数', 'Production-safety accident deaths (incl. missing)',
            '人', 'persons', 1, 'count', 'accidents', 'safety_deaths', null, 1, 1, null, null, true, 1),
        ('safety_accidents', '生产安全事故起数', 'Production-safety accidents',
            '起', 'accidents', 1, 'count', 'accidents', 'safety_accidents', null, 1, 1, null, null, true, 2),
        ('larger_accidents', '较大生产安全事故起数', 'Larger (较大) accidents',
            '起', 'accidents', 1, 'count', 'accidents', 'larger_accidents', null, 1, 1, null, null, true, 3),
        ('larger_and_above_accidents', '较大及以上（重大较大）生产安全事故起数',
            'Larger-and-above accidents (larger, major, extraordinary)',
            '起', 'accidents', 1, 'count', 'accidents', 'larger_and_above_accidents', null, 1, 1, null, null,
            true, 4),
        ('major_and_above_accidents', '重特大生产安全事故起数', 'Major and extraordinary accidents',
            '起', 'accidents', 1, 'count', 'accidents', 'major_and_above_accidents', null, 1, 1, null, null,
            true, 5),
        ('deaths_per_100m_gdp', '亿元生产总值生产安全事故死亡率', 'Accident deaths per 100 million yuan of GDP',
            '人/亿元', 'deaths per 100m yuan', 1, 'rate', 'accidents', 'safety_deaths', 'gdp_100m_yuan', 1, 1,
            '亿元', '100m yuan', true, 6),
        ('industrial_deaths_per_100k_workers', '工矿商贸就业人员十万人生产安全事故死亡率',
            'Industry/mining/commerce deaths per 100,000 employed',
            '人/10万人', 'deaths per 100k workers', 100000, 'rate', 'accidents', 'industrial_deaths',
            'industrial_workers_10k', 10000, 1, '人', 'persons', true, 7),
        ('operating_vehicle_deaths_per_10k', '营运车辆万车死亡率', 'Deaths per 10,000 operating vehicles',
            '人/万车', 'deaths per 10k vehicles', 10000, 'rate', 'accidents', 'operating_vehicle_deaths',
            'operating_vehicles', 1, 1, '辆', 'vehicles', true, 8),
        ('coal_deaths_per_mt', '煤矿百万吨死亡率', 'Coal-mine deaths per million tonnes of raw coal',
            '人/百万吨', 'deaths per Mt', 1, 'rate', 'accidents', 'coal_deaths', 'coal_output_10k_tonnes',
            1, 100, '百万吨', 'Mt', true, 9),
        ('disaster_deaths_per_million', '每百万人口因自然灾害死亡率',
            'Natural-disaster dead and missing per million residents',
            '人/百万人', 'per million', 1, 'rate', 'disasters', 'disaster_dead_missing', 'population_10k',
            1, 100, '百万人', 'million persons', true, 10),
        ('disaster_affected_per_100k', '每十万人受灾人次', 'Disaster-affected person-times per 100,000 residents',
            '人次/10万人', 'person-times per 100k', 100000, 'rate', 'disasters',
            'disaster_affected_person_times', 'population_10k', 10000, 1, '人', 'persons', false, 11),
        ('disaster_loss_pct_gdp', '因自然灾害直接经济损失占生产总值比例', 'Direct disaster loss as % of GDP',
            '%', '%', 100, 'rate', 'disasters', 'disaster_direct_loss_100m_yuan', 'gdp_100m_yuan', 1, 1,
            '亿元', '100m yuan', false, 12),
        ('forest_fire_damage_permille', '森林火灾受害率', 'Forest area damaged by fire per 1000 ha of forest',
            '‰', 'per mille', 1000, 'rate', 'forest_fires', 'forest_damaged_ha', 'forest_area_ha', 1, 1,
            '公顷', 'ha', false, 13),
        ('enforcement_equipment_compliance_pct', '行政执法装备配备达标率',
            'Enforcement equipment compliance rate', '%', '%', 1, 'capability', 'capabilities', null, null,
            1, 1, null, null, false, 14),
        ('warning_coverage_pct', '灾害预警信息发布公众覆盖率', 'Public coverage of disaster warnings',
            '%', '%', 1, 'capability', 'capabilities', null, null, 1, 1, null, null, false, 15),
        ('relief_time_hours', '受灾人员基本生活得到有效救助时间', 'Hours until affected people receive basic relief',
            '小时', 'hours', 1, 'capability', 'capabilities', null, null, 1, 1, null, null, false, 16),
        ('professional_staff_pct', '应急管理部门专业人才占比', 'Share of professional staff in EM departments',
            '%', '%', 1, 'capability', 'capabilities', null, null, 1, 1, null, null, false, 17),
        ('new_worker_training_pct', '新增从业人员安全技能培训率', 'Safety-skills training rate of new workers',
            '%', '%', 1, 'capability', 'capabilities', null, null, 1, 1, null, null, false, 18)
    ) as t(
        indicator_code, indicator_name_zh, indicator_name_en, unit_zh, unit_en, multiplier, kind,
        source, numerator_measure, denominator_measure, denominator_scale_mult, denominator_scale_div,
        denominator_unit_zh, denominator_unit_en, is_count_based, sort_order
    )

),

final as (

    select
        cast(indicator_code as varchar) as indicator_code,
        cast(indicator_name_zh as varchar) as indicator_name_zh,
        cast(indicator_name_en as varchar) as indicator_name_en,
        cast(unit_zh as varchar) as unit_zh,
        cast(unit_en as varchar) as unit_en,
        cast(multiplier as integer) as multiplier,
        cast(kind as varchar) as kind,
        cast(source as varchar) as source,
        cast(numerator_measure as varchar) as numerator_measure,
        cast(denominator_measure as varchar) as denominator_measure,
        cast(denominator_scale_mult as double) as denominator_scale_mult,
        cast(denominator_scale_div as double) as denominator_scale_div,
        cast(denominator_unit_zh as varchar) as denominator_unit_zh,
        cast(denominator_unit_en as varchar) as denominator_unit_en,
        cast(is_count_based as boolean) as is_count_based,
        cast(sort_order as integer) as sort_order,
        -- the numerator's unit: a count of deaths or accidents, or not a count at all (money, area)
        cast(case numerator_measure
            when 'disaster_affected_person_times' then '人次'
            when 'disaster_direct_loss_100m_yuan' then '亿元'
            when 'forest_damaged_ha' then '公顷'
            when 'safety_accidents' then '起'
            when 'larger_accidents' then '起'
            when 'larger_and_above_accidents' then '起'
            when 'major_and_above_accidents' then '起'
            else case when numerator_measure is not null then '人' end
        end as varchar) as numerator_unit_zh,
        cast(case numerator_measure
            when 'disaster_affected_person_times' then 'person-times'
            when 'disaster_direct_loss_100m_yuan' then '100m yuan'
            when 'forest_damaged_ha' then 'ha'
            when 'safety_accidents' then 'accidents'
            when 'larger_accidents' then 'accidents'
            when 'larger_and_above_accidents' then 'accidents'
            when 'major_and_above_accidents' then 'accidents'
            else case when numerator_measure is not null then 'persons' end
        end as varchar) as numerator_unit_en,
        -- an event measure that must be 0 for the value to be known (see int_event_measures_by_month)
        cast(case indicator_code
            when 'operating_vehicle_deaths_per_10k' then 'operating_vehicle_unknown_deaths'
        end as varchar) as blocking_measure
    from catalogue

)

select * from final
